// The staff CSV export of reports (stage times in working days, nothing
// personal): a small range downloads at once; a large one is written in
// the background and its link appears when ready.
import { useState } from "preact/hooks";
import { get, request } from "../../lib/api.js";
import { tr } from "../../lib/i18n.js";
import { c, ErrorBox, Notice, Page, useAction } from "../../lib/ui.jsx";

const T = {
  id: { title: "Ekspor CSV laporan", help: "Laporan yang masuk dalam rentang tanggal (zona waktu wilayah), dengan waktu tiap tahap dalam hari kerja. Tanpa identitas pelapor, kontak, deskripsi atau alamat.",
        download: "Unduh CSV", ready: "Berkas siap: {rows} baris.", background: "Rentang besar: berkas sedang ditulis…", link: "Unduh berkas" },
  en: { title: "CSV export of reports", help: "Reports received in the date range (the region's time zone), with each stage's time in working days. No reporter identity, contact, description or address.",
        download: "Download CSV", ready: "File ready: {rows} rows.", background: "Large range: the file is being written…", link: "Download the file" },
};

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function Export({ app }) {
  const action = useAction();
  const [job, setJob] = useState(null);
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = { from: form.get("from") || undefined, to: form.get("to") || undefined };
    setJob(null);
    await action.run(async () => {
      const response = await request(`/v1/regions/${encodeURIComponent(app.regionId)}/exports/reports.csv`, { params, raw: true });
      if ((response.headers.get("Content-Type") || "").includes("text/csv")) {
        const blob = await response.blob();
        save(blob, `laporan-${app.regionId}-${params.from || "bulan-ini"}.csv`);
        return { rows: Math.max(0, (await blob.text()).trim().split("\n").length - 1) };
      }
      let current = await response.json();
      setJob(current);
      for (let i = 0; i < 120 && !current.url; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        current = await get(current.status_url);
        setJob(current);
      }
      return { rows: current.rows ?? "?" };
    });
  }
  return (
    <Page title={tr(T, "title")}>
      <p class="muted">{tr(T, "help")}</p>
      <form class="filters card" onSubmit={submit} data-testid="export-form">
        <label>{c("from")}<input type="date" name="from" /></label>
        <label>{c("to")}<input type="date" name="to" /></label>
        <button type="submit" disabled={action.busy}>{tr(T, "download")}</button>
      </form>
      {job && !job.url && <p aria-live="polite">{tr(T, "background")}</p>}
      {job && job.url && <p><a href={job.url}>{tr(T, "link")}</a></p>}
      {action.done && <Notice>{tr(T, "ready", { rows: action.done.rows })}</Notice>}
      <ErrorBox error={action.error} />
    </Page>
  );
}
