// A Leaflet map of a region. Base layer: the region's tile service when its
// configuration names one (GET /v1/regions/{id} map_tiles); otherwise the
// kelurahan/desa boundaries (the simplified display file of GET
// /v1/regions/{id}/boundaries), so the map works with no tiles at all.
import L from "./leaflet.js";
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.heat";
import { get } from "./api.js";

export { L };

const boundaryCache = new Map();

export function boundaries(regionId) {
  if (!boundaryCache.has(regionId)) {
    const loading = get(`/v1/regions/${encodeURIComponent(regionId)}/boundaries`, undefined, { auth: false });
    loading.catch(() => boundaryCache.delete(regionId));
    boundaryCache.set(regionId, loading);
  }
  return boundaryCache.get(regionId);
}

export function createMap(element, region, { onBoundaries } = {}) {
  const tiles = region && region.map_tiles;
  // a maximum zoom even with no tile layer (marker clusters need one)
  const map = L.map(element, { preferCanvas: true, zoomControl: true, attributionControl: true,
    maxZoom: tiles ? tiles.max_zoom : 18 });
  map.setView([-2.5, 118], 5);
  if (tiles) {
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.max_zoom }).addTo(map);
  } else {
    element.classList.add("no-tiles");
  }
  const ready = boundaries(region.region_id).then((collection) => {
    const layer = L.geoJSON(collection, {
      style: { color: "#4a5568", weight: 1, fillColor: "#f7fafc", fillOpacity: tiles ? 0 : 0.6 },
      interactive: false,
    }).addTo(map);
    layer.bringToBack();
    const bounds = layer.getBounds();
    // no animation: a page that sets its own view once `ready` resolves is not undone by a zoom still running
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], animate: false });
    if (onBoundaries) onBoundaries(collection, layer);
    return { collection, layer };
  });
  ready.catch(() => { /* the page shows its own error */ });
  return { map, ready };
}
