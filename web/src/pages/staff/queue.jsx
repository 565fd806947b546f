// The verification desk: verify (correcting agency or kelurahan), reject with
// a reason, or mark a duplicate. Closures a low rating sent back wait in
// the "review" queue.
import { useState } from "preact/hooks";
import { get } from "../../lib/api.js";
import { text, tr } from "../../lib/i18n.js";
import { go } from "../../lib/router.js";
import { ReportList, transition } from "../../lib/reports.jsx";
import { ErrorBox, Notice, Page, useAction, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Antrean verifikasi", waiting: "Menunggu verifikasi", review: "Ditinjau ulang (rating rendah)",
    verify: "Verifikasi", reject: "Tolak", duplicate: "Duplikat", agency: "Dinas", kelurahan: "Kelurahan/desa",
    keep: "(sesuai usulan)", reason: "Alasan", duplicate_of: "ID laporan asli", note: "Catatan (opsional)",
    spam: "Spam", outside_region: "Di luar wilayah", not_actionable: "Tidak dapat ditindaklanjuti",
    verified: "Laporan diverifikasi.", rejected: "Laporan ditolak.", marked: "Ditandai duplikat.",
    reopen: "Buka kembali", confirm: "Konfirmasi selesai",
  },
  en: {
    title: "Verification queue", waiting: "Waiting for verification", review: "Review (low rating)",
    verify: "Verify", reject: "Reject", duplicate: "Duplicate", agency: "Agency", kelurahan: "Kelurahan/desa",
    keep: "(as proposed)", reason: "Reason", duplicate_of: "Original report ID", note: "Note (optional)",
    spam: "Spam", outside_region: "Outside the region", not_actionable: "Not actionable",
    verified: "Report verified.", rejected: "Report rejected.", marked: "Marked as duplicate.",
    reopen: "Reopen", confirm: "Confirm done",
  },
};

function Decide({ report, region, areas, onDone }) {
  const [mode, setMode] = useState(null);
  const action = useAction();
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get("note") || "").trim() || undefined;
    const body = { to: mode === "verify" ? "verified" : mode === "reject" ? "rejected" : "duplicate", note };
    if (mode === "verify") {
      if (form.get("agency")) body.agency = String(form.get("agency"));
      if (form.get("kelurahan_code")) body.kelurahan_code = String(form.get("kelurahan_code"));
    } else if (mode === "reject") body.reason = String(form.get("reason"));
    else body.duplicate_of = String(form.get("duplicate_of")).trim();
    const done = await action.run(() => transition(report.id, body));
    if (done) setTimeout(onDone, 600);
  }
  if (action.done) return <Notice>{tr(T, mode === "verify" ? "verified" : mode === "reject" ? "rejected" : "marked")}</Notice>;
  return (
    <div>
      <div class="actions">
        <button type="button" data-action="verify" onClick={() => setMode("verify")}>{tr(T, "verify")}</button>
        <button type="button" class="secondary" data-action="reject" onClick={() => setMode("reject")}>{tr(T, "reject")}</button>
        <button type="button" class="secondary" data-action="duplicate" onClick={() => setMode("duplicate")}>{tr(T, "duplicate")}</button>
      </div>
      {mode && (
        <form class="stack" onSubmit={submit} data-testid={`${mode}-form`} style={{ marginTop: "0.5rem" }}>
          {mode === "verify" && (
            <>
              <label>{tr(T, "agency")}
                <select name="agency"><option value="">{tr(T, "keep")} {report.agency || ""}</option>
                  {(region.agencies || []).map((a) => <option value={a.code}>{text(a.name)}</option>)}</select></label>
              <label>{tr(T, "kelurahan")}
                <select name="kelurahan_code"><option value="">{tr(T, "keep")} {report.kelurahan || ""}</option>
                  {areas.flatMap((k) => k.kelurahan.map((d) => <option value={d.code}>{d.name} ({k.name})</option>))}</select></label>
            </>
          )}
          {mode === "reject" && (
            <label>{tr(T, "reason")}
              <select name="reason" required>{["spam", "outside_region", "not_actionable"].map((r) => <option value={r}>{tr(T, r)}</option>)}</select></label>
          )}
          {mode === "duplicate" && <label>{tr(T, "duplicate_of")}<input name="duplicate_of" required maxLength={64} /></label>}
          <label>{tr(T, "note")}<textarea name="note" maxLength={1000} rows={2} /></label>
          <div class="actions">
            <button type="submit" disabled={action.busy} data-action="submit">{tr(T, mode)}</button>
            <button type="button" class="secondary" onClick={() => setMode(null)}>✕</button>
          </div>
          <ErrorBox error={action.error} />
        </form>
      )}
    </div>
  );
}

function Review({ report, onDone }) {
  const action = useAction();
  const act = (to) => action.run(() => transition(report.id, { to })).then((d) => d && setTimeout(onDone, 600));
  return (
    <div class="actions">
      <button type="button" disabled={action.busy} onClick={() => act("in_process")}>{tr(T, "reopen")}</button>
      <button type="button" class="secondary" disabled={action.busy} onClick={() => act("done")}>{tr(T, "confirm")}</button>
      <ErrorBox error={action.error} />
    </div>
  );
}

export default function Queue({ app, query }) {
  const queue = query.queue === "review" ? "review" : "waiting";
  const areas = useApi(() => get(`/v1/regions/${encodeURIComponent(app.regionId)}/areas`), [app.regionId]);
  const kecamatan = areas.data ? areas.data.kecamatan : [];
  return (
    <Page title={tr(T, "title")}>
      <div class="actions" role="tablist" style={{ marginBottom: "0.6rem" }}>
        {["waiting", "review"].map((q) => (
          <button type="button" role="tab" aria-selected={q === queue} class={q === queue ? "" : "secondary"}
            onClick={() => go("/queue", { queue: q })}>{tr(T, q)}</button>
        ))}
      </div>
      <ReportList path={`/v1/regions/${encodeURIComponent(app.regionId)}/verification-queue`} params={{ queue }}
        actions={(report, reload) => (queue === "review"
          ? <Review report={report} onDone={reload} />
          : <Decide report={report} region={app.region} areas={kecamatan} onDone={reload} />)} />
    </Page>
  );
}
