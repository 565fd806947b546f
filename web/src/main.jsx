// The console: one page application on the API's own origin.
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "./styles.css";
import { get } from "./lib/api.js";
import { can, session, signOut } from "./lib/auth.js";
import { lang, setLang, text, tr } from "./lib/i18n.js";
import { go, match, route } from "./lib/router.js";
import { useSignal } from "./lib/signal.js";
import { ErrorBox, Loading } from "./lib/ui.jsx";
import { PAGES } from "./pages/index.js";

const T = {
  id: {
    skip: "Lewati ke isi", signin: "Masuk staf", signout: "Keluar", region: "Wilayah", language: "Bahasa",
    not_found: "Halaman tidak ditemukan.", forbidden: "Halaman ini bukan untuk peran Anda.",
    public: "Publik", leaders: "Pimpinan", staff: "Staf", admin: "Admin", menu: "Menu",
    no_region: "Belum ada wilayah yang aktif.",
  },
  en: {
    skip: "Skip to content", signin: "Staff sign-in", signout: "Sign out", region: "Region", language: "Language",
    not_found: "Page not found.", forbidden: "This page is not for your role.",
    public: "Public", leaders: "Leaders", staff: "Staff", admin: "Admin", menu: "Menu",
    no_region: "No region is live yet.",
  },
};

function pickRegion(config, current) {
  const me = current && current.me;
  if (me && me.region_id && me.region_id !== "*") return me.region_id;
  let saved = null;
  try { saved = localStorage.getItem("aduan.region"); } catch { /* private mode */ }
  const ids = config.regions.map((r) => r.region_id);
  return ids.includes(saved) ? saved : ids[0] || null;
}

function App() {
  const current = useSignal(session);
  const where = useSignal(route);
  useSignal(lang);
  const [config, setConfig] = useState(null);
  const [error, setError] = useState(null);
  const [regionId, setRegionId] = useState(null);
  const [region, setRegion] = useState(null);

  useEffect(() => {
    get("/v1/client-config", undefined, { auth: false }).then(setConfig, setError);
  }, []);
  useEffect(() => { if (config) setRegionId(pickRegion(config, current)); }, [config, current && current.me && current.me.region_id]);
  useEffect(() => {
    if (!regionId) return;
    try { localStorage.setItem("aduan.region", regionId); } catch { /* private mode */ }
    let stale = false; // an older answer (say, the public view before sign-in) must not win
    get(`/v1/regions/${encodeURIComponent(regionId)}`).then((r) => { if (!stale) setRegion(r); },
      (e) => { if (!stale) setError(e); });
    return () => { stale = true; };
  }, [regionId, current && current.idToken]);
  // After the region admin saves agencies or categories: read the region again, so every page (queue,
  // inbox filters, staff) sees the new tables at once; the page stays (a failure keeps the region read before).
  const shown = useRef(regionId);
  shown.current = regionId;
  const refreshRegion = () => {
    const asked = regionId;
    return get(`/v1/regions/${encodeURIComponent(asked)}`, undefined, { headers: { "Cache-Control": "no-cache" } }).then(
      (r) => { if (shown.current === asked) setRegion(r); return r; }, () => null);
  };

  const found = PAGES.map((p) => ({ ...p, params: match(p.path, where.path) })).find((p) => p.params);
  let body;
  if (error) body = <ErrorBox error={error} onRetry={() => location.reload()} />;
  else if (!config) body = <Loading />;
  else if (!regionId) body = <p>{tr(T, "no_region")}</p>;
  else if (!region) body = <Loading />;
  else if (!found) body = <p>{tr(T, "not_found")}</p>;
  else if (found.roles && !current) {
    go("/signin", { next: where.path });
    body = <Loading />;
  } else if (found.roles && !can(found.roles)) body = <p role="alert">{tr(T, "forbidden")}</p>;
  else {
    const Page = found.page;
    body = <Page key={`${where.path}|${regionId}|${lang.get()}`} app={{ config, region, regionId, refreshRegion, me: current && current.me }}
      params={found.params} query={where.params} />;
  }

  const groups = ["public", "leaders", "staff", "admin"];
  const visible = PAGES.filter((p) => p.nav && (!p.roles || (current && can(p.roles))));
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main").focus(); }}>{tr(T, "skip")}</a>
      <header class="top">
        <a class="brand" href="#/">Aduan{region ? <span> · {region.name}</span> : null}</a>
        <div class="tools">
          {config && config.regions.length > 1 && !(current && current.me && current.me.region_id !== "*") && (
            <label class="region-pick">
              <span class="sr-only">{tr(T, "region")}</span>
              <select value={regionId || ""} onChange={(e) => { setRegion(null); setRegionId(e.currentTarget.value); }}>
                {config.regions.map((r) => <option value={r.region_id}>{r.name}</option>)}
              </select>
            </label>
          )}
          <button type="button" class="lang" aria-label={tr(T, "language")} data-testid="lang-switch"
            onClick={() => setLang(lang.get() === "id" ? "en" : "id")}>{lang.get() === "id" ? "EN" : "ID"}</button>
          {current && current.me
            ? <button type="button" class="link" data-testid="signout" onClick={() => { signOut(); go("/"); }}>
                {tr(T, "signout")}<span class="who"> ({current.me.name})</span></button>
            : <a href="#/signin" data-testid="signin-link">{tr(T, "signin")}</a>}
        </div>
      </header>
      <nav class="nav" aria-label={tr(T, "menu")}>
        {groups.map((g) => {
          const items = visible.filter((p) => p.group === g);
          if (!items.length) return null;
          return (
            <ul class={`group group-${g}`} aria-label={tr(T, g)}>
              {items.map((p) => (
                <li><a href={`#${p.path}`} aria-current={found && found.path === p.path ? "page" : undefined}>{text(p.nav)}</a></li>
              ))}
            </ul>
          );
        })}
      </nav>
      <main id="main" tabIndex={-1}>{body}</main>
    </>
  );
}

render(<App />, document.getElementById("app"));
