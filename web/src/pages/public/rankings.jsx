// Rankings: one month's ranking of kelurahan/desa, kecamatan, agencies (public)
// or officers (agency heads and region admins), rows in the API's order, with
// every score component of the API's reply in its own column.
import { get } from "../../lib/api.js";
import { go } from "../../lib/router.js";
import { num, tr } from "../../lib/i18n.js";
import { ErrorBox, Loading, Page, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Peringkat kinerja", level: "Tingkat", month: "Bulan", this_month: "Bulan ini",
    level_kelurahan: "Kelurahan/desa", level_kecamatan: "Kecamatan", level_agency: "Dinas", level_officer: "Petugas",
    level_kota: "Kota administrasi",
    rank: "Peringkat", name: "Nama", score: "Skor", not_ranked: "Tidak diperingkat",
    c_stages: "Tahap dihitung", c_within_sla: "Tepat SLA", c_timeliness: "Ketepatan waktu", c_rating: "Penilaian warga",
    c_ratings: "Jumlah penilaian", c_within_sla_shrunk: "Tepat SLA (disesuaikan)",
    c_timeliness_shrunk: "Ketepatan waktu (disesuaikan)", c_rating_shrunk: "Penilaian (disesuaikan)",
    empty: "Belum ada data untuk bulan ini.", caption: "Peringkat {level}, {month}",
    note: "Unit dengan kurang dari {n} tahap tercatat tetapi tidak diperingkat. Nilai 0–1 ditampilkan sebagai persen.",
    formula: "Cara menghitung skor",
  },
  en: {
    title: "Performance rankings", level: "Level", month: "Month", this_month: "This month",
    level_kelurahan: "Kelurahan/village", level_kecamatan: "District (kecamatan)", level_agency: "Agency", level_officer: "Officer",
    level_kota: "Administrative city",
    rank: "Rank", name: "Name", score: "Score", not_ranked: "Not ranked",
    c_stages: "Stages counted", c_within_sla: "Within SLA", c_timeliness: "Timeliness", c_rating: "Citizen rating",
    c_ratings: "Ratings", c_within_sla_shrunk: "Within SLA (adjusted)",
    c_timeliness_shrunk: "Timeliness (adjusted)", c_rating_shrunk: "Rating (adjusted)",
    empty: "No data for this month yet.", caption: "{level} ranking, {month}",
    note: "Units with fewer than {n} stages are listed but not ranked. 0–1 figures are shown as percentages.",
    formula: "How the score is computed",
  },
};

// The API's Components, in the schema's order; counts stay counts, the rest are shares 0–1.
const COMPONENTS = ["stages", "within_sla", "timeliness", "rating", "ratings",
  "within_sla_shrunk", "timeliness_shrunk", "rating_shrunk"];
const COUNTS = new Set(["stages", "ratings"]);
const OFFICER_ROLES = ["agency_head", "region_admin", "platform_admin"];
const MONTH = /^20[0-9]{2}-(0[1-9]|1[0-2])$/;

function componentKeys(rows) {
  const keys = [...COMPONENTS];
  for (const row of rows) {
    for (const key of Object.keys(row.components || {})) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

function componentCell(key, value) {
  if (value == null) return "–";
  if (COUNTS.has(key) || typeof value !== "number") return typeof value === "number" ? num(value) : String(value);
  return `${num(value * 100, 1)}%`;
}

export default function Rankings({ app, query }) {
  const staffLevels = app.me && OFFICER_ROLES.includes(app.me.role);
  const levels = ["kelurahan", "kecamatan", "agency", ...(staffLevels ? ["officer"] : [])];
  const level = levels.includes(query.level) ? query.level : "kelurahan";
  const month = MONTH.test(query.month || "") ? query.month : "";
  const token = app.me ? app.me.sub : "";

  const { data, error, loading, reload } = useApi(
    () => get(`/v1/regions/${encodeURIComponent(app.regionId)}/rankings`, { level, month }),
    [app.regionId, level, month, token]);

  const set = (change) => go("/rankings", { level, month, ...change });
  const rows = (data && data.rows) || [];
  const keys = componentKeys(rows);

  return (
    <Page title={tr(T, "title")} wide>
      <div class="filters">
        <label>{tr(T, "level")}
          <select data-testid="rankings-level" value={level} onChange={(e) => set({ level: e.currentTarget.value })}>
            {levels.map((l) => <option value={l}>{tr(T, `level_${l}`)}</option>)}
          </select>
        </label>
        <label>{tr(T, "month")}
          <input type="month" data-testid="rankings-month" value={month || (data && data.month) || ""} min="2020-01" pattern="20[0-9]{2}-[0-9]{2}"
            placeholder="YYYY-MM" onChange={(e) => set({ month: e.currentTarget.value })} />
        </label>
        {month && <button type="button" class="secondary" onClick={() => set({ month: "" })}>{tr(T, "this_month")}</button>}
      </div>
      <ErrorBox error={error} onRetry={reload} />
      {loading && !data && <Loading />}
      {data && (
        <>
          <p class="muted">{tr(T, "note", { n: num(data.min_volume) })}</p>
          {rows.length === 0 ? <p data-testid="rankings-empty">{tr(T, "empty")}</p> : null}
          <div class="table-wrap">
            <table data-testid="rankings-table" data-level={data.level} data-month={data.month}>
              <caption class="sr-only">{tr(T, "caption", { level: tr(T, `level_${data.level}`), month: data.month })}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">{tr(T, "rank")}</th>
                  <th scope="col">{tr(T, "name")}</th>
                  <th scope="col" class="num">{tr(T, "score")}</th>
                  {keys.map((k) => <th scope="col" class="num" data-component={k}>{tr(T, `c_${k}`)}</th>)}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr data-key={row.unit}>
                    <td class="num">{row.rank == null
                      ? <span title={row.not_ranked_reason || ""}>– <span class="sr-only">{tr(T, "not_ranked")}</span></span>
                      : num(row.rank)}</td>
                    <th scope="row">{row.name || row.unit}</th>
                    <td class="num">{row.score == null ? "–" : num(row.score, 1)}</td>
                    {keys.map((k) => <td class="num" data-component={k}>{componentCell(k, row.components && row.components[k])}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details class="muted">
            <summary>{tr(T, "formula")}</summary>
            <p>{data.score}</p>
          </details>
        </>
      )}
    </Page>
  );
}
