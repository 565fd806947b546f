// The leaders' overview: the region's waiting / in process / done and overdue
// now (the stats reply's `now`) and the reports received and done per month over the
// last twelve months (group_by=month).
import { get } from "../../lib/api.js";
import { lang, num, tr } from "../../lib/i18n.js";
import { ErrorBox, Loading, Page, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Ringkasan", now: "Saat ini", waiting: "Menunggu", in_process: "Diproses", done: "Selesai",
    overdue: "Terlambat", overdue_hint: "terbuka, melewati batas SLA",
    waiting_hint: "termasuk terverifikasi", trend: "Tren per bulan", month: "Bulan", received: "Diterima",
    done_col: "Selesai", range: "Laporan dibuat {from} s.d. {to}", total: "Jumlah", empty: "Belum ada laporan pada periode ini.",
  },
  en: {
    title: "Overview", now: "Right now", waiting: "Waiting", in_process: "In process", done: "Done",
    overdue: "Overdue", overdue_hint: "open, past the SLA deadline",
    waiting_hint: "including verified", trend: "Trend per month", month: "Month", received: "Received",
    done_col: "Done", range: "Reports created {from} to {to}", total: "Total", empty: "No reports in this period yet.",
  },
};

const ZONES = { WIB: "Asia/Jakarta", WITA: "Asia/Makassar", WIT: "Asia/Jayapura" };

// The first day of the month eleven months back (the region's calendar):
// twelve months, within the API's limit of 366 days.
export function yearFrom(region) {
  let today;
  try {
    today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONES[region && region.time_zone] || "Asia/Jakarta",
      year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch {
    today = new Date().toISOString().slice(0, 10);
  }
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7)) - 11;
  if (month < 1) { month += 12; year -= 1; }
  return `${year}-${String(month).padStart(2, "0")}-01`;
}

function monthName(key) {
  const [y, m] = String(key).split("-").map(Number);
  if (!y || !m) return key;
  return new Intl.DateTimeFormat(lang.get() === "en" ? "en-GB" : "id-ID",
    { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

function Tile({ id, label, value, hint }) {
  return (
    <div class="tile" data-testid={`tile-${id}`}>
      <span class="value">{value == null ? "–" : num(value)}</span>
      <span class="label">{label}{hint ? <small class="muted"> ({hint})</small> : null}</span>
    </div>
  );
}

export default function Overview({ app }) {
  const from = yearFrom(app.region);
  const { data, error, loading, reload } = useApi(
    () => get(`/v1/regions/${encodeURIComponent(app.regionId)}/stats`, { from, group_by: "month" }),
    [app.regionId, from]);

  const groups = (data && data.groups) || [];
  const peak = Math.max(1, ...groups.map((g) => Math.max(g.received || 0, g.done || 0)));
  return (
    <Page title={tr(T, "title")}>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <h2>{tr(T, "now")}</h2>
          <div class="tiles" data-testid="overview-tiles">
            <Tile id="waiting" label={tr(T, "waiting")} value={data.now.waiting} hint={tr(T, "waiting_hint")} />
            <Tile id="in_process" label={tr(T, "in_process")} value={data.now.in_process} />
            <Tile id="done" label={tr(T, "done")} value={data.now.done} />
            <Tile id="overdue" label={tr(T, "overdue")} value={data.now.overdue} hint={tr(T, "overdue_hint")} />
          </div>
          <h2>{tr(T, "trend")}</h2>
          <p class="muted">{tr(T, "range", { from: data.from, to: data.to })}</p>
          {groups.length === 0 ? <p>{tr(T, "empty")}</p> : (
            <div class="table-wrap">
              <table class="trend" data-testid="trend-table">
                <caption class="sr-only">{tr(T, "trend")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tr(T, "month")}</th>
                    <th scope="col" class="num">{tr(T, "received")}</th>
                    <th scope="col" class="num">{tr(T, "done_col")}</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) => (
                    <tr data-key={g.key}>
                      <th scope="row">{monthName(g.key)}</th>
                      <td class="num" data-field="received">
                        {num(g.received)}
                        <span class="spark received" aria-hidden="true" style={{ width: `${(100 * (g.received || 0)) / peak}%` }} />
                      </td>
                      <td class="num" data-field="done">
                        {num(g.done)}
                        <span class="spark done" aria-hidden="true" style={{ width: `${(100 * (g.done || 0)) / peak}%` }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{tr(T, "total")}</th>
                    <td class="num" data-field="received">{num(data.total.received)}</td>
                    <td class="num" data-field="done">{num(data.total.done)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  );
}
