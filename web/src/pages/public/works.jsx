// Public works (QlueWork: citizens as civil auditors): the region's projects
// on a map (every page of GET /v1/regions/{id}/projects?format=geojson, one
// marker per project at the point that places it in its kelurahan, lines and
// polygons drawn as well), the same projects as cards (physical against
// financial progress, red flags with the rule that raised each), and the
// budget totals per agency and per kecamatan (GET /v1/regions/{id}/budget).
// Filters live in the hash query: #/works?year=2026&red_flag=any
import { useEffect, useRef, useState } from "preact/hooks";
import { get } from "../../lib/api.js";
import { money, num, text, tr } from "../../lib/i18n.js";
import { L, createMap } from "../../lib/map.js";
import { go } from "../../lib/router.js";
import { Bar, ErrorBox, Loading, Page, c, useApi } from "../../lib/ui.jsx";

export const WORKS_T = {
  id: {
    title: "Pekerjaan umum", intro: "Proyek pembangunan di wilayah ini. Bandingkan progres fisik dengan uang yang sudah dibayarkan; tanda bahaya muncul bila angkanya tidak wajar.",
    year: "Tahun anggaran", all_years: "Semua tahun", red_flag: "Tanda bahaya", all: "Semua",
    rf_any: "Ada tanda bahaya", rf_none: "Tanpa tanda bahaya",
    flag_money_ahead_of_work: "Uang mendahului pekerjaan", flag_behind_schedule: "Terlambat",
    flag_no_recent_progress: "Tidak ada laporan progres", flag_open_citizen_audits: "Audit warga terbuka",
    reset: "Hapus filter", filters: "Filter proyek",
    map: "Peta proyek", map_label: "Peta proyek pekerjaan umum", list: "Daftar proyek",
    count: "{n} proyek.", count_one: "1 proyek.", none: "Tidak ada proyek untuk filter ini.",
    loading_pages: "Memuat proyek… ({n} sejauh ini)", boundaries_error: "Batas wilayah tidak dapat dimuat.",
    agency: "Dinas", contractor: "Kontraktor", place: "Lokasi", value: "Nilai kontrak", disbursed: "Sudah dibayar",
    kecamatan_short: "Kec.", out_of_area: "di luar batas kelurahan/desa", npwp: "NPWP",
    physical: "Progres fisik", financial: "Progres keuangan", time: "Waktu berjalan",
    elapsed: "Waktu kontrak berjalan {p}%", last_report: "laporan progres terakhir {d}", no_report: "belum ada laporan progres",
    flags: "Tanda bahaya", no_flags: "Tidak ada tanda bahaya", flag_count: "{n} tanda bahaya",
    open: "Lihat proyek", legend_ok: "Tanpa tanda bahaya", legend_flag: "Ada tanda bahaya",
    budget: "Anggaran {year}", budget_all: "semua tahun", by_agency: "Per dinas", by_kecamatan: "Per kecamatan",
    budget_agency_caption: "Total anggaran proyek per dinas", budget_kecamatan_caption: "Total anggaran proyek per kecamatan",
    projects: "Proyek", flagged: "Bertanda bahaya", total: "Total wilayah", outside: "Di luar kecamatan wilayah",
    flags_as_of: "Jumlah bertanda bahaya dihitung per {d}. Progres fisik ditimbang dengan nilai kontrak.",
    budget_empty: "Belum ada proyek yang tercatat.",
    rules: "Cara tanda bahaya dihitung",
    rule_money: "Uang mendahului pekerjaan: progres keuangan melampaui progres fisik lebih dari {n} poin.",
    rule_behind: "Terlambat: waktu kontrak berjalan melampaui progres fisik lebih dari {n} poin (proyek berjalan).",
    rule_stale: "Tidak ada laporan progres selama {n} hari atau lebih (proyek berjalan).",
    rule_audits: "Audit warga: ada laporan warga atas proyek ini yang masih terbuka.",
    rule_threshold: "ambang yang ditetapkan pemerintah daerah",
    rules_where: "Setiap tanda bahaya di bawah menyebut aturannya beserta angka proyek itu.",
  },
  en: {
    title: "Public works", intro: "Construction projects in this region. Compare physical progress with the money already paid; a red flag appears when the figures do not add up.",
    year: "Fiscal year", all_years: "All years", red_flag: "Red flags", all: "All",
    rf_any: "Any red flag", rf_none: "No red flag",
    flag_money_ahead_of_work: "Money ahead of work", flag_behind_schedule: "Behind schedule",
    flag_no_recent_progress: "No progress report", flag_open_citizen_audits: "Open citizen audits",
    reset: "Clear filters", filters: "Project filters",
    map: "Project map", map_label: "Map of public works projects", list: "Projects",
    count: "{n} projects.", count_one: "1 project.", none: "No projects for these filters.",
    loading_pages: "Loading projects… ({n} so far)", boundaries_error: "The boundaries could not be loaded.",
    agency: "Agency", contractor: "Contractor", place: "Location", value: "Contract value", disbursed: "Paid so far",
    kecamatan_short: "Kec.", out_of_area: "outside every kelurahan/desa", npwp: "NPWP",
    physical: "Physical progress", financial: "Financial progress", time: "Time elapsed",
    elapsed: "{p}% of the contract period elapsed", last_report: "last progress report {d}", no_report: "no progress report yet",
    flags: "Red flags", no_flags: "No red flags", flag_count: "{n} red flags",
    open: "Open project", legend_ok: "No red flag", legend_flag: "Red flag raised",
    budget: "Budget, {year}", budget_all: "all years", by_agency: "Per agency", by_kecamatan: "Per kecamatan",
    budget_agency_caption: "Project budget totals per agency", budget_kecamatan_caption: "Project budget totals per kecamatan",
    projects: "Projects", flagged: "Flagged", total: "Region total", outside: "Outside the region's kecamatan",
    flags_as_of: "Flagged counts as of {d}. Physical progress is weighted by contract value.",
    budget_empty: "No projects registered yet.",
    rules: "How red flags are raised",
    rule_money: "Money ahead of work: financial progress exceeds physical progress by more than {n} points.",
    rule_behind: "Behind schedule: time elapsed exceeds physical progress by more than {n} points (active projects).",
    rule_stale: "No progress report for {n} days or more (active projects).",
    rule_audits: "Citizen audits: citizen reports on the project are still open.",
    rule_threshold: "a threshold the regional government sets",
    rules_where: "Each red flag below names its rule with that project's figures.",
  },
};
const T = WORKS_T;

export const FLAG_CODES = ["money_ahead_of_work", "behind_schedule", "no_recent_progress", "open_citizen_audits"];
const RED_FLAGS = ["any", "none", ...FLAG_CODES];
const YEAR = /^(20[0-9]{2}|2100)$/;
const OK_COLOUR = "#2b6cb0";
const FLAG_COLOUR = "#c53030";

function filtersOf(query) {
  const q = query || {};
  return {
    year: YEAR.test(q.year || "") ? q.year : "",
    red_flag: RED_FLAGS.includes(q.red_flag) ? q.red_flag : "",
  };
}

// The geometry itself (a road's line, a building's outline); points need no shape.
export function shapeOf(geometry, colour) {
  const flip = (p) => [p[1], p[0]];
  if (geometry.type === "LineString") {
    return L.polyline(geometry.coordinates.map(flip), { color: colour, weight: 4, opacity: 0.8, interactive: false });
  }
  if (geometry.type === "Polygon") {
    return L.polygon(geometry.coordinates.map((ring) => ring.map(flip)),
      { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.25, interactive: false });
  }
  return null;
}

// Run `then` once createMap has fitted the region (it does so without animation before `ready`
// resolves) or found no boundaries; the returned function cancels it (the map was removed).
export function afterRegionFit(map, ready, then) {
  let live = true;
  const run = () => { if (live && map) then(); };
  ready.then(run, run);
  return () => { live = false; };
}

function popup(p) {
  const box = document.createElement("div");
  box.className = "map-popup";
  const title = document.createElement("strong");
  title.textContent = p.title;
  const agency = document.createElement("div");
  agency.textContent = text(p.agency_name) || p.agency;
  const figures = document.createElement("div");
  figures.textContent = `${tr(T, "physical")}: ${num(p.physical_progress, 1)}% · ${tr(T, "financial")}: ${num(p.financial_progress, 1)}%`;
  box.append(title, agency, figures);
  if (p.red_flags && p.red_flags.length) {
    const flags = document.createElement("div");
    flags.className = "work-flag-count";
    flags.textContent = `⚑ ${tr(T, "flag_count", { n: num(p.red_flags.length) })}`;
    box.append(flags);
  }
  const link = document.createElement("a");
  link.href = `#/works/${encodeURIComponent(p.id)}`;
  link.textContent = tr(T, "open");
  box.append(link);
  return box;
}

async function loadAll(regionId, filters, onProgress) {
  const features = [];
  let cursor = null;
  for (let page = 0; page < 500; page++) {
    const reply = await get(`/v1/regions/${encodeURIComponent(regionId)}/projects`,
      { ...filters, format: "geojson", limit: 200, cursor }, { auth: false });
    features.push(...(reply.features || []));
    if (onProgress) onProgress(features.length);
    cursor = reply.next_cursor;
    if (!cursor) break;
  }
  return features;
}

export function Flags({ flags, testid }) {
  if (!flags || !flags.length) return <p class="work-noflag small" data-testid={testid}><span aria-hidden="true">✓</span> {tr(T, "no_flags")}</p>;
  return (
    <ul class="work-flags" aria-label={tr(T, "flags")} data-testid={testid}>
      {flags.map((flag) => (
        <li data-flag={flag.code}>
          <span aria-hidden="true">⚑ </span><span class="sr-only">{tr(T, "flags")}: </span>
          <span class="work-rule">{text(flag.rule) || tr(T, `flag_${flag.code}`)}</span>
        </li>
      ))}
    </ul>
  );
}

export function placeOf(p) {
  const parts = [];
  if (p.kelurahan) parts.push(p.kelurahan);
  if (p.kecamatan) parts.push(`${tr(T, "kecamatan_short")} ${p.kecamatan}`);
  if (p.out_of_area) parts.push(tr(T, "out_of_area"));
  return parts.join(", ") || "–";
}

function ProjectCard({ p }) {
  const flagged = p.red_flags && p.red_flags.length > 0;
  return (
    <li class={`card work-card${flagged ? " flagged" : ""}`} data-project={p.id}
      data-flags={(p.red_flags || []).map((f) => f.code).join(" ")}>
      <h3><a href={`#/works/${encodeURIComponent(p.id)}`}>{p.title}</a></h3>
      <p class="work-meta">
        <span class={`badge work-status-${p.status}`}>{text(p.status_label) || p.status}</span>{" "}
        {flagged && <span class="badge work-flagged">⚑ {tr(T, "flag_count", { n: num(p.red_flags.length) })}</span>}{" "}
        <span class="muted small">{p.fiscal_year} · {text(p.funding_source_name) || p.funding_source}</span>
      </p>
      <dl class="facts">
        <dt>{tr(T, "agency")}</dt><dd data-field="agency">{text(p.agency_name) || p.agency}</dd>
        <dt>{tr(T, "contractor")}</dt><dd data-field="contractor">{p.contractor && p.contractor.name}
          {p.contractor && p.contractor.npwp && <span class="muted small"> ({tr(T, "npwp")} {p.contractor.npwp})</span>}</dd>
        <dt>{tr(T, "place")}</dt><dd data-field="place">{placeOf(p)}</dd>
        <dt>{tr(T, "value")}</dt><dd data-field="value">{money(p.value)}</dd>
        <dt>{tr(T, "disbursed")}</dt><dd data-field="disbursed">{money(p.disbursed)}</dd>
      </dl>
      <div data-field="physical" data-value={String(p.physical_progress)}>
        <Bar value={p.physical_progress} label={tr(T, "physical")} />
      </div>
      <div data-field="financial" data-value={String(p.financial_progress)}>
        <Bar value={p.financial_progress} label={tr(T, "financial")} kind="money" />
      </div>
      <p class="muted small">{tr(T, "elapsed", { p: num(p.time_elapsed, 0) })} · {p.last_progress_report
        ? tr(T, "last_report", { d: p.last_progress_report }) : tr(T, "no_report")}</p>
      <Flags flags={p.red_flags} />
    </li>
  );
}

function pct(value) { return `${num(value, 1)}%`; }

function BudgetTable({ testid, caption, unit, rows, keyOf, nameOf, totals }) {
  return (
    <div class="table-wrap">
      <table data-testid={testid} class="budget">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col" class="num">{tr(T, "projects")}</th>
            <th scope="col" class="num">{tr(T, "value")}</th>
            <th scope="col" class="num">{tr(T, "disbursed")}</th>
            <th scope="col" class="num">{tr(T, "financial")}</th>
            <th scope="col" class="num">{tr(T, "physical")}</th>
            <th scope="col" class="num">{tr(T, "flagged")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => <BudgetRow key={keyOf(row)} rowKey={keyOf(row)} name={nameOf(row)} t={row} />)}
        </tbody>
        <tfoot>
          <BudgetRow rowKey="total" name={tr(T, "total")} t={totals} />
        </tfoot>
      </table>
    </div>
  );
}

function BudgetRow({ rowKey, name, t }) {
  return (
    <tr data-key={rowKey}>
      <th scope="row">{name}</th>
      <td class="num" data-field="projects">{num(t.projects)}</td>
      <td class="num" data-field="contract_value">{money(t.contract_value)}</td>
      <td class="num" data-field="disbursed">{money(t.disbursed)}</td>
      <td class="num" data-field="financial_progress">{pct(t.financial_progress)}</td>
      <td class="num" data-field="physical_progress">{pct(t.physical_progress)}</td>
      <td class="num" data-field="projects_flagged">{num(t.projects_flagged)}</td>
    </tr>
  );
}

function Rules({ rules }) {
  const n = (value) => (value == null ? tr(T, "rule_threshold") : num(value));
  return (
    <details class="muted work-rules" data-testid="works-rules">
      <summary>{tr(T, "rules")}</summary>
      <ul>
        <li>{tr(T, "rule_money", { n: n(rules && rules.money_ahead_points) })}</li>
        <li>{tr(T, "rule_behind", { n: n(rules && rules.behind_schedule_points) })}</li>
        <li>{tr(T, "rule_stale", { n: n(rules && rules.stale_days) })}</li>
        <li>{tr(T, "rule_audits")}</li>
      </ul>
      <p>{tr(T, "rules_where")}</p>
    </details>
  );
}

export default function Works({ app, query }) {
  const { regionId, region } = app;
  const filters = filtersOf(query);
  const element = useRef(null);
  const [view, setView] = useState(null);
  const [regionFitted, setRegionFitted] = useState(false);
  const [boundaryError, setBoundaryError] = useState(null);
  const [progress, setProgress] = useState(0);

  const projects = useApi(() => { setProgress(0); return loadAll(regionId, filters, setProgress); },
    [regionId, filters.year, filters.red_flag]);
  const budget = useApi(() => get(`/v1/regions/${encodeURIComponent(regionId)}/budget`, { year: filters.year },
    { auth: false }), [regionId, filters.year]);

  useEffect(() => {
    const { map, ready } = createMap(element.current, region);
    ready.catch(setBoundaryError);
    map.createPane("works").style.zIndex = 420;
    const shapes = L.featureGroup().addTo(map);
    const markers = L.featureGroup().addTo(map);
    window.__aduanWorksMap = { map, markers, shapes };
    setView({ map, markers, shapes });
    const stop = afterRegionFit(map, ready, () => setRegionFitted(true));
    return () => {
      stop();
      if (window.__aduanWorksMap && window.__aduanWorksMap.map === map) delete window.__aduanWorksMap;
      map.remove();
    };
  }, []);

  const features = projects.data || [];
  const items = features.map((f) => f.properties);

  useEffect(() => {
    if (!view) return;
    view.markers.clearLayers();
    view.shapes.clearLayers();
    for (const f of features) {
      const point = f.properties.point;  // where the API places it (a line's middle, a polygon's centroid)
      const where = point && [point.lon, point.lat];
      if (!where) continue;
      const flagged = f.properties.red_flags && f.properties.red_flags.length > 0;
      const colour = flagged ? FLAG_COLOUR : OK_COLOUR;
      const shape = shapeOf(f.geometry, colour);
      if (shape) view.shapes.addLayer(shape);
      const marker = L.circleMarker([where[1], where[0]], {
        pane: "works", radius: 8, weight: 2, color: "#fff", fillColor: colour, fillOpacity: 0.95,
      });
      marker.bindPopup(() => popup(f.properties));
      marker.projectId = f.properties.id;
      view.markers.addLayer(marker);
    }
    // what the map holds, for whoever checks it against the list
    if (projects.data) element.current.dataset.markers = String(view.markers.getLayers().length);
    else delete element.current.dataset.markers;
  }, [view, projects.data]);

  // The projects, with some of the region around them, once the region's own fit is over.
  useEffect(() => {
    if (!view || !regionFitted || !projects.data) return;
    const bounds = view.markers.getLayers().length ? view.markers.getBounds() : null;
    if (bounds && bounds.isValid()) view.map.fitBounds(bounds.pad(0.4), { maxZoom: 15, padding: [16, 16], animate: false });
    element.current.dataset.fitted = String(view.markers.getLayers().length);
  }, [view, regionFitted, projects.data]);

  const years = new Set();
  const thisYear = new Date().getFullYear();
  for (let y = thisYear + 1; y >= thisYear - 4; y--) years.add(String(y));
  for (const p of items) years.add(String(p.fiscal_year));
  if (filters.year) years.add(filters.year);
  const yearOptions = [...years].sort().reverse();

  const apply = (change) => go("/works", { ...filters, ...change });
  const n = items.length;
  const b = budget.data;

  return (
    <Page title={tr(T, "title")} wide>
      <p class="muted">{tr(T, "intro")}</p>
      <form class="filters" aria-label={tr(T, "filters")} onSubmit={(e) => e.preventDefault()} data-testid="works-filters">
        <label>{tr(T, "year")}
          <select data-testid="works-year" value={filters.year} onChange={(e) => apply({ year: e.currentTarget.value })}>
            <option value="">{tr(T, "all_years")}</option>
            {yearOptions.map((y) => <option value={y}>{y}</option>)}
          </select>
        </label>
        <label>{tr(T, "red_flag")}
          <select data-testid="works-red-flag" value={filters.red_flag} onChange={(e) => apply({ red_flag: e.currentTarget.value })}>
            <option value="">{tr(T, "all")}</option>
            {RED_FLAGS.map((code) => <option value={code}>{tr(T, code === "any" || code === "none" ? `rf_${code}` : `flag_${code}`)}</option>)}
          </select>
        </label>
        {(filters.year || filters.red_flag) && (
          <button type="button" class="link" data-testid="works-reset" onClick={() => go("/works")}>{tr(T, "reset")}</button>
        )}
      </form>
      <Rules rules={region && region.project_rules} />

      <h2>{tr(T, "map")}</h2>
      {boundaryError && <ErrorBox error={{ code: boundaryError.code, message: `${tr(T, "boundaries_error")} ${boundaryError.message || ""}` }} />}
      <div class="map" data-testid="works-map" ref={element} role="region" aria-label={tr(T, "map_label")} />
      <ul class="legend" aria-label={tr(T, "red_flag")}>
        <li><i style={{ background: OK_COLOUR, borderRadius: "50%" }} aria-hidden="true" />{tr(T, "legend_ok")}</li>
        <li><i style={{ background: FLAG_COLOUR, borderRadius: "50%" }} aria-hidden="true" />⚑ {tr(T, "legend_flag")}</li>
      </ul>

      <h2>{tr(T, "list")}</h2>
      <ErrorBox error={projects.error} onRetry={projects.reload} />
      {projects.loading
        ? <p class="loading" aria-live="polite">{progress ? tr(T, "loading_pages", { n: num(progress) }) : c("loading")}</p>
        : !projects.error && (
          <p aria-live="polite" data-testid="works-count" data-count={String(n)}>
            {n === 0 ? tr(T, "none") : n === 1 ? tr(T, "count_one") : tr(T, "count", { n: num(n) })}
          </p>
        )}
      {projects.data && (
        <ul class="work-list" data-testid="works-list">
          {items.map((p) => <ProjectCard key={p.id} p={p} />)}
        </ul>
      )}

      <h2>{tr(T, "budget", { year: filters.year || tr(T, "budget_all") })}</h2>
      <ErrorBox error={budget.error} onRetry={budget.reload} />
      {budget.loading && !b && <Loading />}
      {b && (
        <section data-testid="works-budget" data-year={b.year == null ? "" : String(b.year)}>
          {b.totals.projects === 0 && <p>{tr(T, "budget_empty")}</p>}
          <h3>{tr(T, "by_agency")}</h3>
          <BudgetTable testid="budget-agency" caption={tr(T, "budget_agency_caption")} unit={tr(T, "agency")}
            rows={b.agencies || []} keyOf={(row) => row.agency} nameOf={(row) => text(row.name) || row.agency} totals={b.totals} />
          <h3>{tr(T, "by_kecamatan")}</h3>
          <BudgetTable testid="budget-kecamatan" caption={tr(T, "budget_kecamatan_caption")} unit="Kecamatan"
            rows={b.kecamatan || []} keyOf={(row) => row.kecamatan_code || "none"}
            nameOf={(row) => (row.kecamatan_code ? row.kecamatan || row.kecamatan_code : tr(T, "outside"))} totals={b.totals} />
          <p class="muted small">{tr(T, "flags_as_of", { d: b.flags_as_of })}</p>
        </section>
      )}
    </Page>
  );
}
