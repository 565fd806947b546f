// SLA compliance per stage: the share of the stages that ended within their
// SLA (the stats reply's total.sla: verify, take = respond, finish = resolve),
// with medians and the 90th percentile in working days.
import { get } from "../../lib/api.js";
import { go } from "../../lib/router.js";
import { num, tr } from "../../lib/i18n.js";
import { Bar, ErrorBox, Loading, Page, useApi } from "../../lib/ui.jsx";
import { yearFrom } from "./overview.jsx";

const T = {
  id: {
    title: "Kepatuhan SLA", period: "Periode", p_month: "Bulan ini", p_quarter: "3 bulan terakhir", p_year: "12 bulan terakhir",
    verify: "Verifikasi", take: "Tanggapan (diambil petugas)", finish: "Penyelesaian",
    within: "Tepat SLA", no_data: "belum ada tahap yang selesai", median: "Median {d} hari kerja", p90: "P90 {d} hari kerja",
    range: "Laporan dibuat {from} s.d. {to}", response_rate: "Laporan terverifikasi yang sudah diambil petugas",
    staff_only: "Angka SLA hanya untuk staf wilayah ini.",
  },
  en: {
    title: "SLA compliance", period: "Period", p_month: "This month", p_quarter: "Last 3 months", p_year: "Last 12 months",
    verify: "Verification", take: "Response (taken by an officer)", finish: "Resolution",
    within: "Within SLA", no_data: "no finished stage yet", median: "Median {d} working days", p90: "P90 {d} working days",
    range: "Reports created {from} to {to}", response_rate: "Verified reports taken by an officer",
    staff_only: "SLA figures are for this region's staff only.",
  },
};

const STAGES = ["verify", "take", "finish"];
const PERIODS = ["month", "quarter", "year"];

function periodFrom(period, region) {
  if (period === "month") return undefined; // the API's default: this month
  const year = yearFrom(region); // 11 months back
  if (period === "year") return year;
  let [y, m] = year.split("-").map(Number);
  m += 9; // 2 months back
  if (m > 12) { m -= 12; y += 1; }
  return `${y}-${String(m).padStart(2, "0")}-01`;
}

export default function Sla({ app, query }) {
  const period = PERIODS.includes(query.period) ? query.period : "month";
  const from = periodFrom(period, app.region);
  const { data, error, loading, reload } = useApi(
    () => get(`/v1/regions/${encodeURIComponent(app.regionId)}/stats`, { from }),
    [app.regionId, from]);

  const total = data && data.total;
  return (
    <Page title={tr(T, "title")}>
      <div class="filters">
        <label>{tr(T, "period")}
          <select data-testid="sla-period" value={period} onChange={(e) => go("/sla", { period: e.currentTarget.value })}>
            {PERIODS.map((p) => <option value={p}>{tr(T, `p_${p}`)}</option>)}
          </select>
        </label>
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p class="muted">{tr(T, "range", { from: data.from, to: data.to })}</p>
          {!total.sla ? <p>{tr(T, "staff_only")}</p> : (
            <div class="stack" data-testid="sla-stages">
              {STAGES.map((stage) => {
                const share = total.sla[stage];
                const median = total.median_days && total.median_days[stage];
                const p90 = total.p90_days && total.p90_days[stage];
                return (
                  <div class="card sla-stage" data-testid={`sla-${stage}`} data-value={share == null ? "" : String(share)}>
                    <h2>{tr(T, stage)}</h2>
                    {share == null
                      ? <p class="muted">{tr(T, "within")}: – ({tr(T, "no_data")})</p>
                      : <>
                          <Bar value={share * 100} label={tr(T, "within")} kind={share >= 0.8 ? "ok" : "low"} />
                          <p class="sla-text">{tr(T, "within")}: <strong>{num(share * 100, 1)}%</strong></p>
                        </>}
                    <p class="muted">
                      {tr(T, "median", { d: median == null ? "–" : num(median, 1) })}
                      {" · "}
                      {tr(T, "p90", { d: p90 == null ? "–" : num(p90, 1) })}
                    </p>
                  </div>
                );
              })}
              {total.response_rate != null && (
                <p>{tr(T, "response_rate")}: <strong>{num(total.response_rate * 100, 1)}%</strong></p>
              )}
            </div>
          )}
        </>
      )}
    </Page>
  );
}
