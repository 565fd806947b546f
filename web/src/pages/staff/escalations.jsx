// Escalations: reports past their SLA deadline. The agency head sees the
// agency's overdue reports; the verification desk sees closures sent back
// for review.
import { can, DESK } from "../../lib/auth.js";
import { tr } from "../../lib/i18n.js";
import { ReportList } from "../../lib/reports.jsx";
import { Page } from "../../lib/ui.jsx";

const T = {
  id: { title: "Eskalasi", overdue: "Laporan dinas yang melewati tenggat SLA.", review: "Penyelesaian yang diberi rating rendah, menunggu tinjauan meja verifikasi.", queue: "Buka antrean tinjauan" },
  en: { title: "Escalations", overdue: "The agency's reports past their SLA deadline.", review: "Closures rated low, waiting for the verification desk's review.", queue: "Open the review queue" },
};

export default function Escalations({ app }) {
  const desk = can(DESK);
  return (
    <Page title={tr(T, "title")}>
      {desk ? (
        <>
          <p class="muted">{tr(T, "review")}</p>
          <ReportList path={`/v1/regions/${encodeURIComponent(app.regionId)}/verification-queue`} params={{ queue: "review" }} />
          <p><a href="#/queue?queue=review">{tr(T, "queue")}</a></p>
        </>
      ) : (
        <>
          <p class="muted">{tr(T, "overdue")}</p>
          <ReportList path="/v1/me/inbox" params={{ overdue: "true" }} />
        </>
      )}
    </Page>
  );
}
