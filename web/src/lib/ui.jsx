// Small shared pieces: status badges (text and shape, not colour alone),
// error boxes in the page's language, loading states, data hooks.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { lang, tr } from "./i18n.js";
import { useSignal } from "./signal.js";

export const COMMON = {
  id: {
    loading: "Memuat…", retry: "Coba lagi", error: "Terjadi kesalahan", empty: "Belum ada data.",
    more: "Muat lebih banyak", save: "Simpan", cancel: "Batal", close: "Tutup", all: "Semua",
    from: "Dari", to: "Sampai", apply: "Terapkan", yes: "Ya", no: "Tidak", saved: "Tersimpan.",
    status_waiting: "Menunggu", status_verified: "Terverifikasi", status_in_process: "Diproses",
    status_done: "Selesai", status_rejected: "Ditolak", status_duplicate: "Duplikat", status_forwarded: "Diteruskan",
    emergency: "DARURAT", emergency_help: "Darurat: langsung diteruskan ke petugas siaga dinas, tenggat dalam jam",
  },
  en: {
    loading: "Loading…", retry: "Try again", error: "Something went wrong", empty: "Nothing here yet.",
    more: "Load more", save: "Save", cancel: "Cancel", close: "Close", all: "All",
    from: "From", to: "To", apply: "Apply", yes: "Yes", no: "No", saved: "Saved.",
    status_waiting: "Waiting", status_verified: "Verified", status_in_process: "In process",
    status_done: "Done", status_rejected: "Rejected", status_duplicate: "Duplicate", status_forwarded: "Forwarded",
    emergency: "EMERGENCY", emergency_help: "Emergency: dispatched at once to the agency's responders, due in hours",
  },
};
export const c = (key, params) => tr(COMMON, key, params);

const SHAPES = { waiting: "○", verified: "◐", in_process: "◑", done: "●", rejected: "✕", duplicate: "⧉", forwarded: "→" };

export function statusText(status) { return c(`status_${status}`); }

export function StatusBadge({ status }) {
  useSignal(lang);
  return (
    <span class={`badge status-${status}`} data-status={status}>
      <span aria-hidden="true">{SHAPES[status] || "•"}</span> {statusText(status)}
    </span>
  );
}

// An emergency category's report (dispatched at once, clocks in hours): a word, not a colour alone.
export function EmergencyBadge() {
  useSignal(lang);
  return (
    <span class="badge emergency" data-emergency="true" title={c("emergency_help")}>
      <span aria-hidden="true">⚠</span> {c("emergency")}
    </span>
  );
}

export function ErrorBox({ error, onRetry }) {
  if (!error) return null;
  return (
    <div class="error" role="alert" data-error-code={error.code || ""}>
      <strong>{c("error")}:</strong> {error.message || String(error)}
      {onRetry && <button type="button" class="link" onClick={onRetry}>{c("retry")}</button>}
    </div>
  );
}

export function Notice({ children }) {
  return <div class="notice" role="status">{children}</div>;
}

export function Loading() {
  return <p class="loading" aria-live="polite">{c("loading")}</p>;
}

// Load once per change of deps; {data, error, loading, reload}.
export function useApi(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve().then(load).then(
      (data) => { if (mine === seq.current) setState({ data, error: null, loading: false }); },
      (error) => { if (mine === seq.current) setState({ data: null, error, loading: false }); });
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => { run(); }, [run]);
  // a reload asked for later (after an action) loads what is shown then, not what was shown when it was asked
  const latest = useRef(run);
  latest.current = run;
  const reload = useCallback(() => latest.current(), []);
  return { ...state, reload };
}

// Run an action (a button): {busy, error, done, run}.
export function useAction() {
  const [state, setState] = useState({ busy: false, error: null, done: null });
  const run = useCallback(async (action) => {
    setState({ busy: true, error: null, done: null });
    try {
      const done = await action();
      setState({ busy: false, error: null, done: done ?? true });
      return done;
    } catch (error) {
      setState({ busy: false, error, done: null });
      return undefined;
    }
  }, []);
  return { ...state, run, reset: () => setState({ busy: false, error: null, done: null }) };
}

export function Page({ title, children, wide }) {
  useEffect(() => { document.title = `${title} · Aduan`; }, [title]);
  return (
    <section class={wide ? "page wide" : "page"}>
      <h1>{title}</h1>
      {children}
    </section>
  );
}

// A bar with text: a share 0–100.
export function Bar({ value, label, kind = "" }) {
  const width = Math.max(0, Math.min(100, value || 0));
  return (
    <div class={`bar ${kind}`} role="img" aria-label={`${label}: ${Math.round(width)}%`}>
      <span style={{ width: `${width}%` }} />
      <em>{label}: {Math.round(width)}%</em>
    </div>
  );
}
