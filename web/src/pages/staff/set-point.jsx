// "Tetapkan titik / Set point": the verification desk places a report that has
// no point (a partner's or SMS report placed by its desa code only, so on no
// map). A small map of the region, zoomed to the report's desa; a click puts
// the point, Save sends POST /v1/reports/{id}/location. The API checks that
// the point lies inside the region (and, once verified, in the report's desa).
import { useEffect, useRef, useState } from "preact/hooks";
import { post } from "../../lib/api.js";
import { num, tr } from "../../lib/i18n.js";
import { L, createMap } from "../../lib/map.js";
import { ErrorBox, Notice, useAction } from "../../lib/ui.jsx";

const T = {
  id: {
    set_point: "Tetapkan titik", no_point: "Laporan ini belum punya titik lokasi (hanya kode desa).",
    help: "Klik peta untuk menempatkan titik laporan, lalu simpan.", map_label: "Peta untuk menetapkan titik laporan",
    chosen: "Titik dipilih: {lat}, {lon}", none_yet: "Belum ada titik yang dipilih.", save: "Simpan titik",
    cancel: "Batal", saved: "Titik lokasi tersimpan.", note: "Catatan (opsional)",
  },
  en: {
    set_point: "Set point", no_point: "This report has no location point yet (desa code only).",
    help: "Click the map to place the report's point, then save.", map_label: "Map to set the report's point",
    chosen: "Chosen point: {lat}, {lon}", none_yet: "No point chosen yet.", save: "Save point",
    cancel: "Cancel", saved: "Location point saved.", note: "Note (optional)",
  },
};

const round7 = (value) => Math.round(value * 1e7) / 1e7;

export function setLocation(reportId, body) {
  return post(`/v1/reports/${encodeURIComponent(reportId)}/location`, body);
}

function PointMap({ region, kelurahanCode, point, onPick }) {
  const element = useRef(null);
  const marker = useRef(null);
  const map = useRef(null);
  useEffect(() => {
    const made = createMap(element.current, region);
    map.current = made.map;
    made.ready.then(({ layer }) => {
      // zoom to the report's desa when the boundaries name it
      const desa = layer.getLayers().find((l) => l.feature && l.feature.properties.kelurahan_code === kelurahanCode);
      if (desa) {
        desa.setStyle({ color: "#2b6cb0", weight: 3 }); // this map's own layer: the report's desa stands out
        made.map.fitBounds(desa.getBounds(), { padding: [12, 12], animate: false });
      }
      if (element.current) element.current.dataset.ready = "true";
    }).catch(() => { /* the map stays at its default view */ });
    made.map.on("click", (event) => onPick({ lat: round7(event.latlng.lat), lon: round7(event.latlng.lng) }));
    return () => { made.map.remove(); map.current = null; marker.current = null; };
  }, [region.region_id, kelurahanCode]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!map.current || !point) return;
    if (!marker.current) {
      marker.current = L.circleMarker([point.lat, point.lon], { radius: 8, color: "#c53030", weight: 3, fillOpacity: 0.6 })
        .addTo(map.current);
    } else marker.current.setLatLng([point.lat, point.lon]);
  }, [point]);
  return <div ref={element} class="point-map" role="region" aria-label={tr(T, "map_label")} data-testid="point-map"
    style={{ height: "240px", marginTop: "0.5rem" }} />;
}

export default function SetPoint({ report, region, onDone }) {
  const [open, setOpen] = useState(false);
  const [point, setPoint] = useState(null);
  const action = useAction();
  if (report.lat != null && report.lon != null) return null;
  if (action.done) return <Notice>{tr(T, "saved")}</Notice>;
  async function save(event) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get("note") || "").trim() || undefined;
    const done = await action.run(() => setLocation(report.id, { lat: point.lat, lon: point.lon, note }));
    if (done) setTimeout(onDone, 600);
  }
  return (
    <div data-testid="set-point" style={{ marginBottom: "0.5rem" }}>
      {!open && (
        <p class="muted" style={{ margin: 0 }}>{tr(T, "no_point")}{" "}
          <button type="button" class="secondary" data-action="set-point" onClick={() => setOpen(true)}>{tr(T, "set_point")}</button>
        </p>
      )}
      {open && (
        <form class="stack" onSubmit={save} data-testid="set-point-form">
          <p class="muted" style={{ margin: 0 }}>{tr(T, "help")}</p>
          <PointMap region={region} kelurahanCode={report.kelurahan_code} point={point} onPick={setPoint} />
          <p aria-live="polite" data-testid="point-chosen" style={{ margin: 0 }}>
            {point ? tr(T, "chosen", { lat: num(point.lat, 6), lon: num(point.lon, 6) }) : tr(T, "none_yet")}
          </p>
          <label>{tr(T, "note")}<textarea name="note" maxLength={1000} rows={2} /></label>
          <div class="actions">
            <button type="submit" disabled={!point || action.busy} data-action="save-point">{tr(T, "save")}</button>
            <button type="button" class="secondary" onClick={() => { setOpen(false); setPoint(null); action.reset(); }}>
              {tr(T, "cancel")}</button>
          </div>
          <ErrorBox error={action.error} />
        </form>
      )}
    </div>
  );
}
