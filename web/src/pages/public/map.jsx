// The public map: the region's verified reports (every page of
// GET /v1/regions/{id}/reports/map for the current filters) as clustered
// circle markers, an optional heat layer and an optional choropleth of the
// reports per kelurahan (the reply's `choropleth_url`, the stats endpoint
// grouped by kelurahan). Filters live in the hash query: #/?status=done&...
import { useEffect, useRef, useState } from "preact/hooks";
import { get } from "../../lib/api.js";
import { num, text, tr } from "../../lib/i18n.js";
import { L, createMap } from "../../lib/map.js";
import { go } from "../../lib/router.js";
import { ErrorBox, Loading, Page, c, statusText, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Peta laporan", map_label: "Peta laporan warga yang sudah diverifikasi",
    status: "Status", category: "Kategori", from: "Dari tanggal", to: "Sampai tanggal", all: "Semua",
    reset: "Hapus filter", heat: "Peta panas", choropleth: "Jumlah per kelurahan/desa",
    count: "Menampilkan {n} laporan.", count_one: "Menampilkan 1 laporan.", none: "Tidak ada laporan untuk filter ini.",
    open: "Lihat laporan", legend: "Jumlah laporan per kelurahan/desa", legend_none: "0 laporan",
    loading_pages: "Memuat laporan… ({n} sejauh ini)", choro_error: "Data per kelurahan/desa tidak dapat dimuat.",
    top: "Kelurahan/desa dengan laporan terbanyak", reports: "laporan", filters: "Filter peta",
    boundaries_error: "Batas wilayah tidak dapat dimuat.",
  },
  en: {
    title: "Report map", map_label: "Map of verified citizen reports",
    status: "Status", category: "Category", from: "From date", to: "To date", all: "All",
    reset: "Clear filters", heat: "Heat map", choropleth: "Count per kelurahan/desa",
    count: "Showing {n} reports.", count_one: "Showing 1 report.", none: "No reports for these filters.",
    open: "Open report", legend: "Reports per kelurahan/desa", legend_none: "0 reports",
    loading_pages: "Loading reports… ({n} so far)", choro_error: "The per-kelurahan figures could not be loaded.",
    top: "Kelurahan/desa with the most reports", reports: "reports", filters: "Map filters",
    boundaries_error: "The boundaries could not be loaded.",
  },
};

const STATUSES = ["verified", "in_process", "done"];
const STATUS_COLOUR = { verified: "#2b6cb0", in_process: "#c05621", done: "#2f855a" };
const SCALE = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603"];
const DATE = /^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function filtersOf(query) {
  const q = query || {};
  return {
    status: STATUSES.includes(q.status) ? q.status : "",
    category: q.category || "",
    from: DATE.test(q.from || "") ? q.from : "",
    to: DATE.test(q.to || "") ? q.to : "",
  };
}

// Class limits for n counts up to max: five classes, 0 apart.
function classes(max) {
  if (max <= 0) return [];
  const steps = Math.min(SCALE.length - 1, max);
  const limits = [];
  for (let i = 1; i <= steps; i++) limits.push(Math.ceil((max * i) / steps));
  return [...new Set(limits)];
}
function colourFor(count, limits) {
  if (!count) return null;
  const index = limits.findIndex((limit) => count <= limit);
  return SCALE[Math.min(SCALE.length - 1, (index < 0 ? limits.length - 1 : index) + 1)];
}

function popup(props) {
  const box = document.createElement("div");
  box.className = "map-popup";
  const status = document.createElement("strong");
  status.textContent = statusText(props.status) !== `status_${props.status}` ? statusText(props.status) : text(props.status_label);
  const category = document.createElement("div");
  category.textContent = props.category_name || props.category;
  box.append(status, category);
  const place = [props.kelurahan, props.kecamatan].filter(Boolean).join(", ");
  if (place) {
    const where = document.createElement("div");
    where.className = "muted";
    where.textContent = place;
    box.append(where);
  }
  const link = document.createElement("a");
  link.href = `#/report/${encodeURIComponent(props.id)}`;
  link.textContent = tr(T, "open");
  box.append(link);
  return box;
}

async function loadAll(regionId, filters, onProgress) {
  const features = [];
  let cursor = null;
  let first = null;
  for (let page = 0; page < 500; page++) {
    const reply = await get(`/v1/regions/${encodeURIComponent(regionId)}/reports/map`,
      { ...filters, limit: 500, cursor }, { auth: false });
    if (!first) first = reply;
    features.push(...(reply.features || []));
    if (onProgress) onProgress(features.length);
    cursor = reply.next_cursor;
    if (!cursor) break;
  }
  return { features, choropleth_url: first && first.choropleth_url };
}

export default function PublicMap({ app, query }) {
  const { regionId, region } = app;
  const filters = filtersOf(query);
  const element = useRef(null);
  const [view, setView] = useState(null); // {map, markers, heat, choroPane}
  const [boundaryData, setBoundaryData] = useState(null);
  const [boundaryError, setBoundaryError] = useState(null);
  const [progress, setProgress] = useState(0);
  const [showHeat, setShowHeat] = useState(query && query.heat === "1");
  const [showChoro, setShowChoro] = useState(query && query.choropleth === "1");

  const categories = useApi(() => get(`/v1/regions/${encodeURIComponent(regionId)}/categories`, undefined, { auth: false }), [regionId]);
  const reports = useApi(() => { setProgress(0); return loadAll(regionId, filters, setProgress); },
    [regionId, filters.status, filters.category, filters.from, filters.to]);
  const choroUrl = reports.data && reports.data.choropleth_url;
  const choro = useApi(() => (choroUrl ? get(choroUrl, undefined, { auth: false }) : null), [choroUrl]);

  // The map itself, once.
  useEffect(() => {
    const { map, ready } = createMap(element.current, region, {
      onBoundaries: (collection) => setBoundaryData(collection),
    });
    ready.catch(setBoundaryError);
    map.createPane("choropleth").style.zIndex = 410;
    map.createPane("reports").style.zIndex = 420;
    const markers = L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true, maxClusterRadius: 50 });
    markers.addTo(map);
    window.__aduanMap = { map, markers };
    setView({ map, markers });
    return () => {
      if (window.__aduanMap && window.__aduanMap.map === map) delete window.__aduanMap;
      map.remove();
    };
  }, []);

  const features = (reports.data && reports.data.features) || [];
  const points = features.filter((f) => f.geometry && Array.isArray(f.geometry.coordinates));

  // Markers.
  useEffect(() => {
    if (!view) return;
    view.markers.clearLayers();
    const layers = points.map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      const colour = STATUS_COLOUR[f.properties.status] || "#4a5568";
      const marker = L.circleMarker([lat, lon], {
        pane: "reports", radius: 7, weight: 2, color: "#fff", fillColor: colour, fillOpacity: 0.9,
      });
      marker.bindPopup(() => popup(f.properties));
      marker.feature = f;
      return marker;
    });
    view.markers.addLayers(layers);
  }, [view, reports.data]);

  // Heat layer.
  useEffect(() => {
    if (!view || !showHeat || !points.length) return undefined;
    const heat = L.heatLayer(points.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0], 1]),
      { radius: 25, blur: 18, maxZoom: 15, minOpacity: 0.35 });
    heat.addTo(view.map);
    window.__aduanMap = { ...window.__aduanMap, heat };
    return () => { view.map.removeLayer(heat); };
  }, [view, showHeat, reports.data]);

  // Choropleth: the boundaries coloured by the count of their kelurahan code.
  const counts = new Map();
  if (choro.data && Array.isArray(choro.data.groups)) {
    for (const group of choro.data.groups) counts.set(group.key, group.count || 0);
  }
  const max = Math.max(0, ...counts.values());
  const limits = classes(max);
  useEffect(() => {
    if (!view || !showChoro || !boundaryData || !choro.data) return undefined;
    const layer = L.geoJSON(boundaryData, {
      pane: "choropleth",
      interactive: false,
      style: (feature) => {
        const count = counts.get(feature.properties && feature.properties.kelurahan_code) || 0;
        const fill = colourFor(count, limits);
        return { color: "#4a5568", weight: 1, fillColor: fill || "#ffffff", fillOpacity: fill ? 0.75 : 0.15 };
      },
    }).addTo(view.map);
    window.__aduanMap = { ...window.__aduanMap, choropleth: layer };
    return () => { view.map.removeLayer(layer); };
  }, [view, showChoro, boundaryData, choro.data]);

  function apply(change) {
    const next = { ...filters, ...change };
    if (showHeat) next.heat = "1";
    if (showChoro) next.choropleth = "1";
    go("/", next);
  }
  function toggle(which, on) {
    const next = { ...filters, heat: showHeat ? "1" : "", choropleth: showChoro ? "1" : "" };
    next[which] = on ? "1" : "";
    if (which === "heat") setShowHeat(on); else setShowChoro(on);
    // Keep the toggles in the address (replaceState: no reload of the data).
    const search = new URLSearchParams(Object.entries(next).filter(([, v]) => v)).toString();
    history.replaceState(null, "", `#/${search ? `?${search}` : ""}`);
  }

  const names = new Map();
  if (boundaryData) for (const f of boundaryData.features || []) names.set(f.properties.kelurahan_code, f.properties.kelurahan);
  const top = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, 10);
  const n = points.length;

  return (
    <Page title={tr(T, "title")} wide>
      <form class="filters" aria-label={tr(T, "filters")} onSubmit={(e) => e.preventDefault()} data-testid="map-filters">
        <label>{tr(T, "status")}
          <select data-testid="filter-status" value={filters.status} onChange={(e) => apply({ status: e.currentTarget.value })}>
            <option value="">{tr(T, "all")}</option>
            {STATUSES.map((s) => <option value={s}>{statusText(s)}</option>)}
          </select>
        </label>
        <label>{tr(T, "category")}
          <select data-testid="filter-category" value={filters.category} onChange={(e) => apply({ category: e.currentTarget.value })}>
            <option value="">{tr(T, "all")}</option>
            {((categories.data && categories.data.categories) || []).map((cat) => <option value={cat.code}>{text(cat.name)}</option>)}
            {filters.category && categories.data && !(categories.data.categories || []).some((cat) => cat.code === filters.category)
              && <option value={filters.category}>{filters.category}</option>}
          </select>
        </label>
        <label>{tr(T, "from")}
          <input type="date" data-testid="filter-from" value={filters.from} max={filters.to || undefined}
            onChange={(e) => apply({ from: e.currentTarget.value })} />
        </label>
        <label>{tr(T, "to")}
          <input type="date" data-testid="filter-to" value={filters.to} min={filters.from || undefined}
            onChange={(e) => apply({ to: e.currentTarget.value })} />
        </label>
        {(filters.status || filters.category || filters.from || filters.to) && (
          <button type="button" class="link" data-testid="filter-reset" onClick={() => go("/")}>{tr(T, "reset")}</button>
        )}
      </form>
      <div class="actions map-toggles">
        <label class="inline"><input type="checkbox" data-testid="toggle-heat" checked={showHeat}
          onChange={(e) => toggle("heat", e.currentTarget.checked)} /> {tr(T, "heat")}</label>
        <label class="inline"><input type="checkbox" data-testid="toggle-choropleth" checked={showChoro}
          onChange={(e) => toggle("choropleth", e.currentTarget.checked)} /> {tr(T, "choropleth")}</label>
      </div>

      <ErrorBox error={reports.error} onRetry={reports.reload} />
      <ErrorBox error={categories.error} onRetry={categories.reload} />
      {boundaryError && <ErrorBox error={{ code: boundaryError.code, message: `${tr(T, "boundaries_error")} ${boundaryError.message || ""}` }} />}
      {reports.loading
        ? <p class="loading" aria-live="polite" data-testid="map-loading">{progress ? tr(T, "loading_pages", { n: num(progress) }) : c("loading")}</p>
        : !reports.error && (
          <p aria-live="polite" data-testid="map-count" data-count={String(n)}>
            {n === 0 ? tr(T, "none") : n === 1 ? tr(T, "count_one") : tr(T, "count", { n: num(n) })}
          </p>
        )}

      <div class="map" data-testid="report-map" ref={element} role="region" aria-label={tr(T, "map_label")} />

      {showChoro && (
        <div data-testid="choropleth-legend">
          {choro.error && <ErrorBox error={{ code: choro.error.code, message: `${tr(T, "choro_error")} ${choro.error.message || ""}` }}
            onRetry={choro.reload} />}
          {choro.loading && <Loading />}
          {choro.data && (
            <>
              <p class="legend-title"><strong>{tr(T, "legend")}</strong>
                {choro.data.from && <span class="muted"> ({choro.data.from} – {choro.data.to})</span>}</p>
              <ul class="legend" aria-label={tr(T, "legend")}>
                <li><i style={{ background: "#ffffff" }} aria-hidden="true" />{tr(T, "legend_none")}</li>
                {limits.map((limit, i) => {
                  const low = i === 0 ? 1 : limits[i - 1] + 1;
                  return <li><i style={{ background: colourFor(limit, limits) }} aria-hidden="true" />
                    {low === limit ? num(limit) : `${num(low)}–${num(limit)}`} {tr(T, "reports")}</li>;
                })}
              </ul>
              {top.length > 0 && (
                <details>
                  <summary>{tr(T, "top")}</summary>
                  <ol>{top.map(([code, count]) => <li>{names.get(code) || code}: {num(count)}</li>)}</ol>
                </details>
              )}
            </>
          )}
        </div>
      )}
      <ul class="legend" aria-label={tr(T, "status")}>
        {STATUSES.map((s) => <li><i style={{ background: STATUS_COLOUR[s], borderRadius: "50%" }} aria-hidden="true" />{statusText(s)}</li>)}
      </ul>
    </Page>
  );
}
