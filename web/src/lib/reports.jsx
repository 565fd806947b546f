// A staff list of reports (queue, inbox, escalations): pages of
// ReportSummary with each item's own actions.
import { useState } from "preact/hooks";
import { get, idempotencyKey, post } from "./api.js";
import { text, tr, when } from "./i18n.js";
import { c, EmergencyBadge, ErrorBox, Loading, StatusBadge, useApi } from "./ui.jsx";

const T = {
  id: { due: "Tenggat", created: "Masuk", open: "Lihat laporan", where: "Lokasi", outside: "di luar wilayah", none: "Tidak ada laporan di sini." },
  en: { due: "Due", created: "Received", open: "Open report", where: "Location", outside: "outside the region", none: "No reports here." },
};

// A report's transition or note, with a key per user action (a retry is answered with the first result).
export function transition(reportId, body) {
  return post(`/v1/reports/${encodeURIComponent(reportId)}/transitions`, body, { headers: { "Idempotency-Key": idempotencyKey() } });
}

export function addNote(reportId, note) {
  return post(`/v1/reports/${encodeURIComponent(reportId)}/notes`, { note }, { headers: { "Idempotency-Key": idempotencyKey() } });
}

export function ReportList({ path, params, actions, deps = [] }) {
  const [pages, setPages] = useState([]);
  const first = useApi(async () => { setPages([]); return get(path, params); }, [path, JSON.stringify(params), ...deps]);
  const [more, setMore] = useState({ busy: false, error: null });
  if (first.loading) return <Loading />;
  if (first.error) return <ErrorBox error={first.error} onRetry={first.reload} />;
  const all = [first.data, ...pages];
  const items = all.flatMap((p) => p.items);
  const cursor = all[all.length - 1].next_cursor;
  async function loadMore() {
    setMore({ busy: true, error: null });
    try {
      const page = await get(path, { ...params, cursor });
      setPages((p) => [...p, page]);
      setMore({ busy: false, error: null });
    } catch (error) { setMore({ busy: false, error }); }
  }
  if (!items.length) return <p class="muted" data-testid="empty-list">{tr(T, "none")}</p>;
  return (
    <div>
      <ul class="stack" style={{ listStyle: "none", padding: 0 }} data-testid="report-list">
        {items.map((r) => (
          <li class={`card report-row${r.emergency ? " emergency" : ""}`} data-report-id={r.id} key={r.id}>
            <div class="actions" style={{ alignItems: "center" }}>
              {r.emergency && <EmergencyBadge />}
              <StatusBadge status={r.status} />
              <strong>{text(r.category_name)}</strong>
              <a href={`#/report/${encodeURIComponent(r.id)}`}>{tr(T, "open")}</a>
            </div>
            <p style={{ margin: 0 }}>{r.description}</p>
            <p class="muted" style={{ margin: 0 }}>
              {tr(T, "where")}: {r.out_of_area ? tr(T, "outside") : [r.kelurahan, r.kecamatan].filter(Boolean).join(", ") || "–"}
              {" · "}{tr(T, "created")}: {when(r.created_at)}{r.due_at ? <> · {tr(T, "due")}: {when(r.due_at)}</> : null}
            </p>
            {actions && actions(r, first.reload)}
          </li>
        ))}
      </ul>
      {cursor && <button type="button" class="secondary" disabled={more.busy} onClick={loadMore}>{c("more")}</button>}
      <ErrorBox error={more.error} />
    </div>
  );
}
