// One public works project (#/works/ID, GET /v1/projects/{id}): physical,
// financial and time-elapsed progress, red flags with the rules that raised
// them and the region's thresholds, the facts of the contract, its location,
// progress reports with their photos, disbursements, documents and the
// citizen audits (never who reported them).
import { useEffect, useRef } from "preact/hooks";
import { get } from "../../lib/api.js";
import { lang, money, num, text, tr, when } from "../../lib/i18n.js";
import { L, createMap } from "../../lib/map.js";
import { Bar, ErrorBox, Loading, Page, useApi } from "../../lib/ui.jsx";
import { Flags, WORKS_T, afterRegionFit, placeOf, shapeOf } from "./works.jsx";

const T = {
  id: {
    title: "Proyek", back: "Kembali ke daftar proyek", status: "Status", fiscal_year: "Tahun anggaran",
    funding: "Sumber dana", contract_number: "Nomor kontrak", period: "Masa kontrak", description: "Uraian",
    rules: "Aturan tanda bahaya wilayah ini",
    rule_money: "Uang mendahului pekerjaan bila progres keuangan melampaui progres fisik lebih dari {n} poin.",
    rule_behind: "Terlambat bila waktu kontrak berjalan melampaui progres fisik lebih dari {n} poin.",
    rule_stale: "Tanpa laporan progres bila tidak ada laporan selama {n} hari atau lebih.",
    rule_audits: "Audit warga bila ada laporan warga atas proyek ini yang masih terbuka.",
    location: "Lokasi proyek di peta", progress: "Laporan progres fisik", no_progress: "Belum ada laporan progres.",
    earlier: "{n} laporan lebih lama tidak ditampilkan.", correction: "Koreksi admin: {r}",
    photo_alt: "Foto progres {n}", open_full: "buka ukuran penuh",
    disbursements: "Pembayaran (termin)", no_disbursements: "Belum ada pembayaran.", date: "Tanggal",
    reference: "Referensi (SP2D)", amount: "Jumlah", documents: "Dokumen kontrak", no_documents: "Belum ada dokumen.",
    audits: "Audit warga", no_audits: "Belum ada laporan warga atas proyek ini.",
    audit_counts: "{open} terbuka, {done} selesai.", last_change: "Terakhir berubah",
  },
  en: {
    title: "Project", back: "Back to the projects", status: "Status", fiscal_year: "Fiscal year",
    funding: "Funding source", contract_number: "Contract number", period: "Contract period", description: "Description",
    rules: "This region's red-flag rules",
    rule_money: "Money ahead of work when financial progress exceeds physical progress by more than {n} points.",
    rule_behind: "Behind schedule when time elapsed exceeds physical progress by more than {n} points.",
    rule_stale: "No progress report when none came for {n} days or more.",
    rule_audits: "Citizen audits when citizen reports on the project are still open.",
    location: "The project's location on a map", progress: "Physical progress reports", no_progress: "No progress report yet.",
    earlier: "{n} older reports are not shown.", correction: "Admin correction: {r}",
    photo_alt: "Progress photo {n}", open_full: "open full size",
    disbursements: "Disbursements (termin)", no_disbursements: "No disbursement yet.", date: "Date",
    reference: "Reference (SP2D)", amount: "Amount", documents: "Contract documents", no_documents: "No documents yet.",
    audits: "Citizen audits", no_audits: "No citizen report on this project yet.",
    audit_counts: "{open} open, {done} done.", last_change: "Last changed",
  },
};
const W = WORKS_T;

// A calendar date (YYYY-MM-DD) as the region wrote it, whatever the reader's time zone.
function day(value) {
  if (!value) return "–";
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang.get() === "en" ? "en-GB" : "id-ID",
    { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

function LocationMap({ project, region }) {
  const element = useRef(null);
  useEffect(() => {
    const { map, ready } = createMap(element.current, region);
    const flagged = project.red_flags && project.red_flags.length > 0;
    const colour = flagged ? "#c53030" : "#2b6cb0";
    const shape = shapeOf(project.location, colour);
    if (shape) shape.addTo(map);
    const point = [project.point.lat, project.point.lon];
    L.circleMarker(point, { radius: 9, weight: 3, color: "#fff", fillColor: colour, fillOpacity: 0.95 }).addTo(map);
    const show = () => {
      const bounds = shape && shape.getBounds();
      if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.5), { padding: [24, 24], maxZoom: 17, animate: false });
      else map.setView(point, 15, { animate: false });
    };
    const stop = afterRegionFit(map, ready, () => {
      show();
      if (element.current) element.current.dataset.fitted = "1";
    });
    return () => { stop(); map.remove(); };
  }, [project.id]);
  return <div class="map map-small" ref={element} role="region" aria-label={tr(T, "location")} data-testid="work-map" />;
}

export default function Work({ app, params }) {
  const id = params.id;
  const project = useApi(() => get(`/v1/projects/${encodeURIComponent(id)}`, undefined, { auth: false }), [id]);

  if (project.loading && !project.data) return <Page title={tr(T, "title")}><Loading /></Page>;
  if (project.error) {
    return (
      <Page title={tr(T, "title")}>
        <ErrorBox error={project.error} onRetry={project.error.status === 404 ? undefined : project.reload} />
        <p><a href="#/works">← {tr(T, "back")}</a></p>
      </Page>
    );
  }
  const p = project.data;
  const rules = p.rules || {};
  let photoIndex = 0;

  return (
    <Page title={p.title}>
      <p><a href="#/works">← {tr(T, "back")}</a></p>
      <div class="report-head" data-testid="work-head" data-project={p.id}>
        <span class={`badge work-status-${p.status}`}>{text(p.status_label) || p.status}</span>
        {p.red_flags.length > 0 && <span class="badge work-flagged">⚑ {tr(W, "flag_count", { n: num(p.red_flags.length) })}</span>}
      </div>

      <section data-testid="work-progress">
        <div data-field="physical" data-value={String(p.physical_progress)}>
          <Bar value={p.physical_progress} label={tr(W, "physical")} /></div>
        <div data-field="financial" data-value={String(p.financial_progress)}>
          <Bar value={p.financial_progress} label={tr(W, "financial")} kind="money" /></div>
        <div data-field="time" data-value={String(p.time_elapsed)}>
          <Bar value={p.time_elapsed} label={tr(W, "time")} kind="time" /></div>
      </section>

      <section>
        <h2>{tr(W, "flags")}</h2>
        <Flags flags={p.red_flags} testid="work-flags" />
        <details class="muted work-rules" data-testid="work-rules">
          <summary>{tr(T, "rules")}</summary>
          <ul>
            <li>{tr(T, "rule_money", { n: num(rules.money_ahead_points) })}</li>
            <li>{tr(T, "rule_behind", { n: num(rules.behind_schedule_points) })}</li>
            <li>{tr(T, "rule_stale", { n: num(rules.stale_days) })}</li>
            <li>{tr(T, "rule_audits")}</li>
          </ul>
        </details>
      </section>

      <dl class="facts" data-testid="work-facts">
        <dt>{tr(W, "agency")}</dt><dd>{text(p.agency_name) || p.agency}</dd>
        <dt>{tr(W, "contractor")}</dt><dd>{p.contractor.name}
          {p.contractor.npwp && <span class="muted small"> ({tr(W, "npwp")} {p.contractor.npwp})</span>}</dd>
        <dt>{tr(W, "place")}</dt><dd>{placeOf(p)}</dd>
        <dt>{tr(W, "value")}</dt><dd data-field="value">{money(p.value)}</dd>
        <dt>{tr(W, "disbursed")}</dt><dd data-field="disbursed">{money(p.disbursed)}</dd>
        <dt>{tr(T, "contract_number")}</dt><dd>{p.contract_number}</dd>
        <dt>{tr(T, "period")}</dt><dd>{day(p.start_date)} – {day(p.end_date)}</dd>
        <dt>{tr(T, "fiscal_year")}</dt><dd>{p.fiscal_year}</dd>
        <dt>{tr(T, "funding")}</dt><dd>{text(p.funding_source_name) || p.funding_source}</dd>
        <dt>{tr(T, "last_change")}</dt><dd><time datetime={p.updated_at}>{when(p.updated_at)}</time></dd>
      </dl>
      {p.description && (
        <section>
          <h2>{tr(T, "description")}</h2>
          <p class="description">{p.description}</p>
        </section>
      )}

      <section>
        <h2>{tr(T, "location")}</h2>
        <LocationMap project={p} region={app.region} />
      </section>

      <section>
        <h2>{tr(T, "progress")}</h2>
        {p.progress_earlier > 0 && <p class="muted">{tr(T, "earlier", { n: num(p.progress_earlier) })}</p>}
        {p.progress.length === 0 ? <p class="muted">{tr(T, "no_progress")}</p> : (
          <ol class="timeline" data-testid="work-timeline">
            {p.progress.map((entry) => (
              <li>
                <strong>{num(entry.percent, 2)}%</strong> · <time datetime={entry.date}>{day(entry.date)}</time>
                {entry.note && <div class="note">{entry.note}</div>}
                {entry.correction_reason && <div class="note">{tr(T, "correction", { r: entry.correction_reason })}</div>}
                {entry.photos.length > 0 && (
                  <ul class="photos">
                    {entry.photos.map((photo) => (
                      <li>
                        <a href={photo.url} target="_blank" rel="noopener noreferrer" title={tr(T, "open_full")}>
                          <img src={photo.thumbnail_url || photo.url} alt={tr(T, "photo_alt", { n: ++photoIndex })}
                            loading="lazy" width={140} height={105} />
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section>
        <h2>{tr(T, "disbursements")}</h2>
        {p.disbursements.length === 0 ? <p class="muted">{tr(T, "no_disbursements")}</p> : (
          <div class="table-wrap">
            <table data-testid="work-disbursements">
              <thead>
                <tr><th scope="col">{tr(T, "date")}</th><th scope="col">{tr(T, "reference")}</th>
                  <th scope="col" class="num">{tr(T, "amount")}</th></tr>
              </thead>
              <tbody>
                {p.disbursements.map((d) => (
                  <tr><td>{day(d.date)}</td><td>{d.reference}</td><td class="num">{money(d.amount)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section>
        <h2>{tr(T, "documents")}</h2>
        {p.documents.length === 0 ? <p class="muted">{tr(T, "no_documents")}</p> : (
          <ul>
            {p.documents.map((d) => (
              <li><a href={d.url} target="_blank" rel="noopener noreferrer">{d.title}</a>{" "}
                <span class="muted small">(PDF, {num(Math.ceil(d.bytes / 1024))} KB)</span></li>
            ))}
          </ul>
        )}
      </section>

      <section>
        <h2>{tr(T, "audits")}</h2>
        <p class="muted">{tr(T, "audit_counts", { open: num(p.audits.open), done: num(p.audits.done) })}</p>
        {p.audit_reports.length === 0 ? <p class="muted">{tr(T, "no_audits")}</p> : (
          <ul class="work-audits">
            {p.audit_reports.map((r) => (
              <li>
                <a href={`#/report/${encodeURIComponent(r.id)}`}>{text(r.status_label) || r.status}</a>{" "}
                <span class="muted small"><time datetime={r.created_at}>{when(r.created_at, false)}</time></span>
                <div class="description">{r.description}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
