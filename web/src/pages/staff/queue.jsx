// The verification desk: verify (correcting agency or kelurahan), reject with
// a reason, mark a duplicate, or forward a report that is not the region's
// authority (bukan wewenang) to one of its partner systems (LAPOR! SP4N),
// which closes it here as "forwarded". Closures a low rating sent back wait
// in the "review" queue.
import { useState } from "preact/hooks";
import { get, post } from "../../lib/api.js";
import { text, tr } from "../../lib/i18n.js";
import { go } from "../../lib/router.js";
import { ReportList, transition } from "../../lib/reports.jsx";
import { c, ErrorBox, Notice, Page, useAction, useApi } from "../../lib/ui.jsx";
import SetPoint from "./set-point.jsx";

const T = {
  id: {
    title: "Antrean verifikasi", waiting: "Menunggu verifikasi", review: "Ditinjau ulang (rating rendah)",
    verify: "Verifikasi", reject: "Tolak", duplicate: "Duplikat", agency: "Dinas", kelurahan: "Kelurahan/desa",
    keep: "(sesuai usulan)", reason: "Alasan", duplicate_of: "ID laporan asli", note: "Catatan (opsional)",
    spam: "Spam", outside_region: "Di luar wilayah", not_actionable: "Tidak dapat ditindaklanjuti",
    verified: "Laporan diverifikasi.", rejected: "Laporan ditolak.", marked: "Ditandai duplikat.",
    reopen: "Buka kembali", confirm: "Konfirmasi selesai",
    forward: "Teruskan", partner: "Mitra tujuan", choose_partner: "— pilih mitra —",
    forward_reason: "Alasan bukan wewenang", forward_help: "Dicatat di riwayat untuk staf dan dikirim ke mitra; pelapor tidak melihatnya.",
    forward_next: "Lanjut", forward_confirm: "Teruskan laporan ini ke {partner}? Laporan ditutup di sini sebagai \u201cDiteruskan\u201d dan dilanjutkan oleh mitra.",
    forward_yes: "Ya, teruskan", forwarded: "Laporan diteruskan ke {partner}.",
    need_partner: "Pilih mitra tujuan.", reason_short: "Tulis alasan minimal 3 karakter.",
  },
  en: {
    title: "Verification queue", waiting: "Waiting for verification", review: "Review (low rating)",
    verify: "Verify", reject: "Reject", duplicate: "Duplicate", agency: "Agency", kelurahan: "Kelurahan/desa",
    keep: "(as proposed)", reason: "Reason", duplicate_of: "Original report ID", note: "Note (optional)",
    spam: "Spam", outside_region: "Outside the region", not_actionable: "Not actionable",
    verified: "Report verified.", rejected: "Report rejected.", marked: "Marked as duplicate.",
    reopen: "Reopen", confirm: "Confirm done",
    forward: "Forward", partner: "Forward to", choose_partner: "— choose a partner —",
    forward_reason: "Why it is not the region's authority", forward_help: "Kept in the history for staff and sent to the partner; the reporter does not see it.",
    forward_next: "Continue", forward_confirm: "Forward this report to {partner}? It is closed here as \u201cForwarded\u201d and the partner takes it over.",
    forward_yes: "Yes, forward", forwarded: "Report forwarded to {partner}.",
    need_partner: "Choose a partner.", reason_short: "Write a reason of at least 3 characters.",
  },
};

const NOTE_MAX = 2000; // chalicelib/contract/reports.py

// Bukan wewenang: choose the partner, write the reason, confirm.
function Forward({ report, targets, onForwarded, onCancel }) {
  const [pending, setPending] = useState(null);
  const [invalid, setInvalid] = useState(null);
  const action = useAction();
  function next(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const partner = targets.find((t) => t.id === String(form.get("partner_id") || ""));
    const reason = String(form.get("reason") || "").trim();
    if (!partner) return setInvalid({ code: "need_partner", message: tr(T, "need_partner") });
    if (reason.length < 3) return setInvalid({ code: "reason_short", message: tr(T, "reason_short") });
    setInvalid(null);
    setPending({ partner, reason });
  }
  async function confirm() {
    const done = await action.run(() => post(`/v1/reports/${encodeURIComponent(report.id)}/forward`,
      { partner_id: pending.partner.id, reason: pending.reason }));
    if (done) onForwarded(pending.partner.name);
  }
  if (action.done) return <Notice>{tr(T, "forwarded", { partner: pending.partner.name })}</Notice>;
  return (
    <div>
      {/* kept (not unmounted) while confirming, so a cancel returns to what was typed */}
      <form class="stack" onSubmit={next} noValidate data-testid="forward-form"
        style={{ marginTop: "0.5rem", display: pending ? "none" : undefined }}>
        <label>{tr(T, "partner")}
          <select name="partner_id" required>
            {targets.length > 1 && <option value="">{tr(T, "choose_partner")}</option>}
            {targets.map((t) => <option value={t.id}>{t.name}</option>)}
          </select></label>
        <label>{tr(T, "forward_reason")}
          <textarea name="reason" required maxLength={NOTE_MAX} rows={2} aria-describedby={`forward-help-${report.id}`} />
        </label>
        <small class="muted" id={`forward-help-${report.id}`}>{tr(T, "forward_help")}</small>
        <div class="actions">
          <button type="submit" data-action="forward-next">{tr(T, "forward_next")}</button>
          <button type="button" class="secondary" onClick={onCancel}>✕</button>
        </div>
        <ErrorBox error={invalid} />
      </form>
      {pending && (
        <div class="stack" role="group" data-testid="forward-confirm" style={{ marginTop: "0.5rem" }}>
          <p style={{ margin: 0 }}>{tr(T, "forward_confirm", { partner: pending.partner.name })}</p>
          <div class="actions">
            <button type="button" disabled={action.busy} data-action="forward-confirm" onClick={confirm}>{tr(T, "forward_yes")}</button>
            <button type="button" class="secondary" disabled={action.busy} onClick={() => { action.reset(); setPending(null); }}>{c("cancel")}</button>
          </div>
          <ErrorBox error={action.error} />
        </div>
      )}
    </div>
  );
}

function Decide({ report, region, areas, targets, onDone, onForwarded }) {
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
  const forwarded = (partner) => { onForwarded(report.id, partner); setTimeout(onDone, 600); };
  return (
    <div>
      <div class="actions">
        <button type="button" data-action="verify" onClick={() => setMode("verify")}>{tr(T, "verify")}</button>
        <button type="button" class="secondary" data-action="reject" onClick={() => setMode("reject")}>{tr(T, "reject")}</button>
        <button type="button" class="secondary" data-action="duplicate" onClick={() => setMode("duplicate")}>{tr(T, "duplicate")}</button>
        {targets.length > 0 && (report.status === "waiting" || report.status === "verified") && (
          <button type="button" class="secondary" data-action="forward" onClick={() => setMode("forward")}>{tr(T, "forward")}</button>
        )}
      </div>
      {mode === "forward" && <Forward report={report} targets={targets} onForwarded={forwarded} onCancel={() => setMode(null)} />}
      {mode && mode !== "forward" && (
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
  // the partners a report can be forwarded to (none, or not loaded: no forward button)
  const partners = useApi(() => get(`/v1/regions/${encodeURIComponent(app.regionId)}/forward-targets`), [app.regionId]);
  const targets = (partners.data && partners.data.items) || [];
  const [forwarded, setForwarded] = useState(null);
  return (
    <Page title={tr(T, "title")}>
      {forwarded && (
        <div data-testid="forward-notice" data-report-id={forwarded.id}>
          <Notice>{tr(T, "forwarded", { partner: forwarded.partner })}</Notice>
        </div>
      )}
      <div class="actions" role="tablist" style={{ marginBottom: "0.6rem" }}>
        {["waiting", "review"].map((q) => (
          <button type="button" role="tab" aria-selected={q === queue} class={q === queue ? "" : "secondary"}
            onClick={() => go("/queue", { queue: q })}>{tr(T, q)}</button>
        ))}
      </div>
      <ReportList path={`/v1/regions/${encodeURIComponent(app.regionId)}/verification-queue`} params={{ queue }}
        actions={(report, reload) => (queue === "review"
          ? <Review report={report} onDone={reload} />
          : <><SetPoint report={report} region={app.region} onDone={reload} />
            <Decide report={report} region={app.region} areas={kecamatan} targets={targets} onDone={reload}
              onForwarded={(id, partner) => setForwarded({ id, partner })} /></>)} />
    </Page>
  );
}
