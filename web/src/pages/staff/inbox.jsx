// The field officer's inbox: take a verified report, add notes, finish it
// with an evidence photo uploaded from the browser straight to the photo
// bucket (presigned POST), then mark it done.
import { useState } from "preact/hooks";
import { get, post, uploadTo } from "../../lib/api.js";
import { tr } from "../../lib/i18n.js";
import { go } from "../../lib/router.js";
import { addNote, ReportList, transition } from "../../lib/reports.jsx";
import { ErrorBox, Notice, Page, useAction } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Kotak masuk", verified: "Baru", in_process: "Diproses", done: "Selesai", mine: "Saya ambil",
    take: "Ambil", taken: "Laporan diambil.", note: "Catatan", add_note: "Tambah catatan", noted: "Catatan tersimpan.",
    finish: "Selesaikan", photo: "Foto bukti pekerjaan", finish_note: "Catatan penyelesaian (opsional)",
    uploading: "Mengunggah foto…", checking: "Foto sedang diperiksa…", done_ok: "Laporan selesai.",
    photo_rejected: "Foto ditolak: {reason}", photo_slow: "Foto belum selesai diperiksa. Coba lagi sebentar lagi.",
    bad_type: "Pilih foto JPEG, PNG atau WebP.",
  },
  en: {
    title: "Inbox", verified: "New", in_process: "In process", done: "Done", mine: "Taken by me",
    take: "Take", taken: "Report taken.", note: "Note", add_note: "Add note", noted: "Note saved.",
    finish: "Finish", photo: "Evidence photo of the work", finish_note: "Closing note (optional)",
    uploading: "Uploading the photo…", checking: "Checking the photo…", done_ok: "Report done.",
    photo_rejected: "Photo refused: {reason}", photo_slow: "The photo is still being checked. Try again shortly.",
    bad_type: "Choose a JPEG, PNG or WebP photo.",
  },
};
const TYPES = ["image/jpeg", "image/png", "image/webp"];
const id = (r) => encodeURIComponent(r.id);

function Take({ report, onDone }) {
  const action = useAction();
  if (action.done) return <Notice>{tr(T, "taken")}</Notice>;
  return (
    <div>
      <button type="button" data-action="take" disabled={action.busy}
        onClick={() => action.run(() => transition(report.id, { to: "in_process" })).then((d) => d && setTimeout(onDone, 600))}>{tr(T, "take")}</button>
      <ErrorBox error={action.error} />
    </div>
  );
}

async function waitForEvidence(report, photoId, setStage) {
  setStage("checking");
  for (let i = 0; i < 60; i++) {
    const current = await get(`/v1/reports/${id(report)}`);
    if ((current.photos || []).some((p) => p.id === photoId)) return;
    const refused = (current.rejected_photos || []).find((p) => p.id === photoId);
    if (refused) throw Object.assign(new Error(tr(T, "photo_rejected", { reason: refused.reason || "" })), { code: "photo_rejected" });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw Object.assign(new Error(tr(T, "photo_slow")), { code: "photo_slow" });
}

function Work({ report, onDone }) {
  const [open, setOpen] = useState(null);
  const [stage, setStage] = useState(null);
  const noting = useAction();
  const action = useAction();
  async function note(event) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("note")).trim();
    const done = await noting.run(() => addNote(report.id, text));
    if (done) { event.currentTarget && event.currentTarget.reset && event.currentTarget.reset(); setOpen("noted"); }
  }
  async function finish(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("photo");
    const text = String(form.get("note") || "").trim() || undefined;
    const done = await action.run(async () => {
      if (!file || !TYPES.includes(file.type)) throw Object.assign(new Error(tr(T, "bad_type")), { code: "bad_type" });
      setStage("uploading");
      const grant = await post(`/v1/reports/${id(report)}/photos`, { content_type: file.type, kind: "evidence" });
      await uploadTo(grant.upload, file);
      await waitForEvidence(report, grant.photo_id, setStage);
      return transition(report.id, { to: "done", note: text });
    });
    setStage(null);
    if (done) setTimeout(onDone, 800);
  }
  if (action.done && open === "finish") return <Notice>{tr(T, "done_ok")}</Notice>;
  return (
    <div>
      <div class="actions">
        <button type="button" class="secondary" data-action="note" onClick={() => setOpen("note")}>{tr(T, "add_note")}</button>
        <button type="button" data-action="finish" onClick={() => setOpen("finish")}>{tr(T, "finish")}</button>
      </div>
      {open === "noted" && <Notice>{tr(T, "noted")}</Notice>}
      {open === "note" && (
        <form class="stack" onSubmit={note} data-testid="note-form" style={{ marginTop: "0.5rem" }}>
          <label>{tr(T, "note")}<textarea name="note" required maxLength={1000} rows={2} /></label>
          <button type="submit" disabled={noting.busy}>{tr(T, "add_note")}</button>
        </form>
      )}
      {open === "finish" && (
        <form class="stack" onSubmit={finish} data-testid="finish-form" style={{ marginTop: "0.5rem" }}>
          <label>{tr(T, "photo")}<input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" required /></label>
          <label>{tr(T, "finish_note")}<textarea name="note" maxLength={1000} rows={2} /></label>
          <button type="submit" disabled={action.busy} data-action="finish-submit">{tr(T, "finish")}</button>
          {stage && <p class="muted" aria-live="polite">{tr(T, stage)}</p>}
        </form>
      )}
      <ErrorBox error={noting.error} />
      <ErrorBox error={action.error} />
    </div>
  );
}

export default function Inbox({ query }) {
  const tab = ["verified", "in_process", "done", "mine"].includes(query.tab) ? query.tab : "verified";
  const params = tab === "mine" ? { assigned: "me" } : { status: tab };
  return (
    <Page title={tr(T, "title")}>
      <div class="actions" role="tablist" style={{ marginBottom: "0.6rem" }}>
        {["verified", "in_process", "mine", "done"].map((t) => (
          <button type="button" role="tab" aria-selected={t === tab} class={t === tab ? "" : "secondary"}
            data-tab={t} onClick={() => go("/inbox", { tab: t })}>{tr(T, t)}</button>
        ))}
      </div>
      <ReportList path="/v1/me/inbox" params={params} actions={(report, reload) => (
        report.status === "verified" ? <Take report={report} onDone={reload} />
          : report.status === "in_process" ? <Work report={report} onDone={reload} /> : null)} />
    </Page>
  );
}
