// The region's six-month free pilot: status, dates and days left (the
// region's staff see these fields of GET /v1/regions/{id}).
import { tr, when } from "../../lib/i18n.js";
import { Page } from "../../lib/ui.jsx";

const T = {
  id: { title: "Masa uji coba", status: "Status", trial: "Uji coba gratis", active: "Berlangganan", expired: "Berakhir",
        started: "Mulai uji coba", ends: "Akhir uji coba", left: "Sisa hari", activated: "Diaktifkan", days: "{n} hari" },
  en: { title: "Pilot", status: "Status", trial: "Free pilot", active: "Subscribed", expired: "Expired",
        started: "Pilot started", ends: "Pilot ends", left: "Days left", activated: "Activated", days: "{n} days" },
};

export default function Pilot({ app }) {
  const r = app.region;
  return (
    <Page title={tr(T, "title")}>
      <div class="tiles">
        <div class="tile" data-testid="pilot-status"><span class="value">{tr(T, r.status)}</span><span class="label">{tr(T, "status")}</span></div>
        {r.status === "trial" && (
          <div class="tile" data-testid="pilot-days-left"><span class="value">{r.days_left ?? "–"}</span><span class="label">{tr(T, "left")}</span></div>
        )}
      </div>
      <table class="card" style={{ marginTop: "0.75rem" }}>
        <tbody>
          <tr><th scope="row">{tr(T, "started")}</th><td>{when(r.trial_started_at, false)}</td></tr>
          <tr><th scope="row">{tr(T, "ends")}</th><td>{when(r.trial_ends_at, false)}</td></tr>
          {r.activated_at && <tr><th scope="row">{tr(T, "activated")}</th><td>{when(r.activated_at, false)}</td></tr>}
        </tbody>
      </table>
    </Page>
  );
}
