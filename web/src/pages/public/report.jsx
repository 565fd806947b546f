// A report's public page (#/report/ID): its status, category, place, dates,
// status timeline, photos and rating, and a small map of its point. Never
// shows who reported it, even where the reply carries it (the reporter's
// own view).
import { useEffect, useRef, useState } from "preact/hooks";
import { get } from "../../lib/api.js";
import { text, tr, when } from "../../lib/i18n.js";
import { L, createMap } from "../../lib/map.js";
import { EmergencyBadge, ErrorBox, Loading, Page, StatusBadge, useApi, useAction } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Laporan", not_found: "Laporan tidak ditemukan.", status: "Status", category: "Kategori",
    place: "Kelurahan/desa", kecamatan: "Kecamatan", created: "Dilaporkan", updated: "Terakhir berubah",
    agency: "Dinas", address: "Alamat", description: "Uraian", timeline: "Riwayat status", photos: "Foto",
    no_photos: "Belum ada foto yang dapat ditampilkan.", rating: "Penilaian pelapor", stars: "{n} dari 5 bintang",
    earlier: "Tampilkan {n} riwayat sebelumnya", map: "Lokasi laporan di peta", back: "Kembali ke peta",
    photo_alt: "Foto laporan {n}", evidence_alt: "Foto bukti pekerjaan {n}", evidence: "Bukti pekerjaan",
    out_of_area: "Titik berada di luar batas kelurahan/desa wilayah ini.", overdue: "Melewati batas waktu layanan",
    due: "Batas waktu", reopened: "Dibuka kembali {n} kali", duplicate_of: "Duplikat dari laporan",
    open_full: "buka ukuran penuh", unknown: "–",
  },
  en: {
    title: "Report", not_found: "Report not found.", status: "Status", category: "Category",
    place: "Kelurahan/desa", kecamatan: "Kecamatan", created: "Reported", updated: "Last changed",
    agency: "Agency", address: "Address", description: "Description", timeline: "Status history", photos: "Photos",
    no_photos: "No photos can be shown yet.", rating: "Reporter's rating", stars: "{n} of 5 stars",
    earlier: "Show {n} earlier entries", map: "The report's location on a map", back: "Back to the map",
    photo_alt: "Report photo {n}", evidence_alt: "Evidence photo {n}", evidence: "Evidence of the work",
    out_of_area: "The point lies outside every kelurahan/desa of this region.", overdue: "Past its service deadline",
    due: "Deadline", reopened: "Reopened {n} times", duplicate_of: "Duplicate of report",
    open_full: "open full size", unknown: "–",
  },
};

function hasPoint(report) {
  return typeof report.lat === "number" && typeof report.lon === "number"
    && Number.isFinite(report.lat) && Number.isFinite(report.lon);
}

function PointMap({ report, region }) {
  const element = useRef(null);
  useEffect(() => {
    const { map, ready } = createMap(element.current, region);
    const point = [report.lat, report.lon];
    L.circleMarker(point, { radius: 9, weight: 3, color: "#fff", fillColor: "#c53030", fillOpacity: 0.95 }).addTo(map);
    map.setView(point, 15);
    // createMap fits the region once its boundaries arrive: come back to the point.
    ready.then(() => map.setView(point, 15), () => {});
    return () => map.remove();
  }, [report.id]);
  return <div class="map map-small" ref={element} role="region" aria-label={tr(T, "map")} data-testid="report-point-map" />;
}

function Stars({ stars }) {
  const n = Math.max(0, Math.min(5, Number(stars) || 0));
  return (
    <span class="stars" role="img" aria-label={tr(T, "stars", { n })}>
      <span aria-hidden="true">{"★".repeat(n)}{"☆".repeat(5 - n)}</span> <span>{n}/5</span>
    </span>
  );
}

export default function ReportPage({ app, params }) {
  const id = params.id;
  const report = useApi(() => get(`/v1/reports/${encodeURIComponent(id)}`), [id]);
  const [earlier, setEarlier] = useState([]);
  const more = useAction();

  if (report.loading && !report.data) return <Page title={tr(T, "title")}><Loading /></Page>;
  if (report.error) {
    return (
      <Page title={tr(T, "title")}>
        <ErrorBox error={report.error} onRetry={report.error.status === 404 ? undefined : report.reload} />
        <p><a href="#/">{tr(T, "back")}</a></p>
      </Page>
    );
  }
  const r = report.data;
  const categoryName = text(r.category_name) || r.category;
  const history = [...earlier, ...(r.history || [])];
  const hidden = Math.max(0, (r.history_earlier || 0) - earlier.length);
  const photos = (r.photos || []).filter((p) => p && p.url);

  async function loadEarlier() {
    await more.run(async () => {
      const all = [];
      let cursor = null;
      for (let page = 0; page < 50; page++) {
        const reply = await get(`/v1/reports/${encodeURIComponent(id)}/earlier-history`, { limit: 100, cursor });
        all.push(...(reply.items || reply.history || []));
        cursor = reply.next_cursor;
        if (!cursor) break;
      }
      setEarlier(all);
      return true;
    });
  }

  let photoIndex = 0;
  let evidenceIndex = 0;
  return (
    <Page title={`${tr(T, "title")}: ${categoryName}`}>
      <p><a href="#/">← {tr(T, "back")}</a></p>
      <div class="report-head">
        {r.emergency && <span data-testid="report-emergency"><EmergencyBadge /></span>}
        <span data-testid="report-status"><StatusBadge status={r.status} /></span>
        {r.overdue && <span class="badge overdue" data-testid="report-overdue">{tr(T, "overdue")}</span>}
      </div>
      <dl class="facts" data-testid="report-facts">
        <dt>{tr(T, "category")}</dt><dd data-testid="report-category">{categoryName}</dd>
        <dt>{tr(T, "place")}</dt><dd data-testid="report-kelurahan">{r.kelurahan || tr(T, "unknown")}</dd>
        <dt>{tr(T, "kecamatan")}</dt><dd data-testid="report-kecamatan">{r.kecamatan || tr(T, "unknown")}</dd>
        {r.address && <><dt>{tr(T, "address")}</dt><dd>{r.address}</dd></>}
        {r.agency_name && <><dt>{tr(T, "agency")}</dt><dd>{text(r.agency_name)}</dd></>}
        <dt>{tr(T, "created")}</dt><dd data-testid="report-created"><time datetime={r.created_at}>{when(r.created_at)}</time></dd>
        {r.updated_at && r.updated_at !== r.created_at && (
          <><dt>{tr(T, "updated")}</dt><dd><time datetime={r.updated_at}>{when(r.updated_at)}</time></dd></>
        )}
        {r.duplicate_of && <><dt>{tr(T, "duplicate_of")}</dt><dd><a href={`#/report/${encodeURIComponent(r.duplicate_of)}`}>{r.duplicate_of}</a></dd></>}
      </dl>
      {r.reopen_count > 0 && <p class="muted">{tr(T, "reopened", { n: r.reopen_count })}</p>}
      {r.description && (
        <section>
          <h2>{tr(T, "description")}</h2>
          <p class="description" data-testid="report-description">{r.description}</p>
        </section>
      )}

      {r.rating && r.rating.stars != null && (
        <section data-testid="report-rating">
          <h2>{tr(T, "rating")}</h2>
          <p><Stars stars={r.rating.stars} />{r.rating.at && <span class="muted"> · {when(r.rating.at, false)}</span>}</p>
        </section>
      )}

      <section>
        <h2>{tr(T, "timeline")}</h2>
        {hidden > 0 && (
          <p><button type="button" class="link" data-testid="history-earlier" disabled={more.busy} onClick={loadEarlier}>
            {tr(T, "earlier", { n: hidden })}</button></p>
        )}
        <ErrorBox error={more.error} onRetry={loadEarlier} />
        <ol class="timeline" data-testid="report-timeline">
          {history.map((entry) => (
            <li data-status={entry.status}>
              <StatusBadge status={entry.status} />{" "}
              <time datetime={entry.at}>{when(entry.at)}</time>
              {text(entry.note) && <div class="note">{text(entry.note)}</div>}
            </li>
          ))}
        </ol>
      </section>

      <section>
        <h2>{tr(T, "photos")}</h2>
        {photos.length ? (
          <ul class="photos" data-testid="report-photos">
            {photos.map((p) => {
              const evidence = p.kind === "evidence";
              const alt = evidence ? tr(T, "evidence_alt", { n: ++evidenceIndex }) : tr(T, "photo_alt", { n: ++photoIndex });
              return (
                <li>
                  <a href={p.url} target="_blank" rel="noopener noreferrer" title={tr(T, "open_full")}>
                    <img src={p.thumbnail_url || p.url} alt={alt} loading="lazy" width={140} height={105} />
                  </a>
                  {evidence && <div class="muted small">{tr(T, "evidence")}</div>}
                </li>
              );
            })}
          </ul>
        ) : <p class="muted">{tr(T, "no_photos")}</p>}
      </section>

      {hasPoint(r) && (
        <section>
          <h2>{tr(T, "map")}</h2>
          {r.out_of_area && <p class="muted">{tr(T, "out_of_area")}</p>}
          <PointMap report={r} region={app.region} />
        </section>
      )}
    </Page>
  );
}
