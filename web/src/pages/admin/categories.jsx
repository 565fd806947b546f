// The region admin's tables: the agencies (dinas) and the report categories.
// Both are edited as a draft and saved whole: PATCH /v1/regions/{id}
// {agencies} (a code is kept on rename, so reports keep pointing at it; an
// agency an active category still names is refused with 409) and PUT
// …/categories {categories} (a category switched off or left out is
// retired, never deleted; adding its code again brings it back).
import { useRef, useState } from "preact/hooks";
import { get, request } from "../../lib/api.js";
import { text, tr } from "../../lib/i18n.js";
import { c, ErrorBox, Loading, Notice, Page, useAction, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Kategori & dinas", agencies: "Dinas", categories: "Kategori laporan",
    agencies_help: "Kode dinas tetap saat nama diubah, sehingga laporan tetap terhubung. Dinas yang masih dipakai kategori aktif tidak dapat dihapus.",
    categories_help: "Kategori yang dinonaktifkan tidak dihapus dan tidak lagi tampil di sini; menambah kode yang sama mengaktifkannya kembali.",
    draft: "Perubahan berlaku setelah Anda menekan Simpan.",
    code: "Kode", name_id: "Nama (Indonesia)", name_en: "Nama (Inggris)", agency: "Dinas", team: "Pasukan",
    active: "Aktif", remove: "Hapus", undo: "Urungkan", removed: "akan dihapus", added: "baru",
    emergency: "Darurat (langsung ke petugas siaga, tenggat dalam jam)",
    add_agency: "Tambah dinas", add_category: "Tambah kategori", add: "Tambahkan ke daftar",
    save_agencies: "Simpan dinas", save_categories: "Simpan kategori",
    bad_code: "Kode hanya huruf kecil, angka dan tanda hubung (maks. 41), diawali huruf atau angka.",
    code_taken: "Kode '{code}' sudah ada di daftar.", need_names: "Isi nama dalam bahasa Indonesia dan Inggris.",
    need_agency: "Pilih dinas.", retired: "Kategori nonaktif (kode): {codes}", none: "Belum ada kategori aktif.",
    team_pink: "Pasukan pink (sosial)", team_white: "Pasukan putih (kesehatan)",
    team_orange: "Pasukan oranye (infrastruktur dan bencana)", team_yellow: "Pasukan kuning (kebersihan)",
    team_blue: "Pasukan biru (ketertiban)",
  },
  en: {
    title: "Categories & agencies", agencies: "Agencies", categories: "Report categories",
    agencies_help: "An agency keeps its code when renamed, so reports stay linked to it. An agency still used by an active category cannot be removed.",
    categories_help: "A category switched off is retired, not deleted, and no longer shown here; adding its code again brings it back.",
    draft: "Changes take effect when you press Save.",
    code: "Code", name_id: "Name (Indonesian)", name_en: "Name (English)", agency: "Agency", team: "Team",
    active: "Active", remove: "Remove", undo: "Undo", removed: "to be removed", added: "new",
    emergency: "Emergency (straight to the responders, due in hours)",
    add_agency: "Add an agency", add_category: "Add a category", add: "Add to the list",
    save_agencies: "Save agencies", save_categories: "Save categories",
    bad_code: "A code is lowercase letters, digits and hyphens (at most 41), starting with a letter or digit.",
    code_taken: "Code '{code}' is already in the list.", need_names: "Fill in the Indonesian and English names.",
    need_agency: "Choose an agency.", retired: "Retired categories (codes): {codes}", none: "No active categories yet.",
    team_pink: "Pink team (social)", team_white: "White team (health)",
    team_orange: "Orange team (infrastructure and disaster)", team_yellow: "Yellow team (cleanliness)",
    team_blue: "Blue team (public order)",
  },
};
const TEAMS = ["pink", "white", "orange", "yellow", "blue"]; // TeamCode of the contract
const CODE = /^[a-z0-9][a-z0-9-]{0,40}$/;
// the categories are served with a 5-minute public cache: the admin reads them fresh
const FRESH = { headers: { "Cache-Control": "no-cache" } };

// a number that grows with every new answer: the form it keys starts again from what the API says
function useStamp(value) {
  const seen = useRef({ value: undefined, n: 0 });
  if (seen.current.value !== value) seen.current = { value, n: seen.current.n + 1 };
  return seen.current.n;
}

const problem = (key, params) => Object.assign(new Error(tr(T, key, params)), { code: key });

function checkNew(fresh, taken) {
  const code = fresh.code.trim();
  if (!CODE.test(code)) return problem("bad_code");
  if (taken.includes(code)) return problem("code_taken", { code });
  if (!fresh.name_id.trim() || !fresh.name_en.trim()) return problem("need_names");
  return null;
}

function Agencies({ regionId, agencies, onSaved }) {
  const [rows, setRows] = useState(() => agencies.map((a) => ({ code: a.code, name_id: a.name.id, name_en: a.name.en })));
  const [fresh, setFresh] = useState({ code: "", name_id: "", name_en: "" });
  const [addError, setAddError] = useState(null);
  const action = useAction();
  const edit = (code, field, value) => setRows((all) => all.map((r) => (r.code === code ? { ...r, [field]: value } : r)));
  function add() {
    const error = checkNew(fresh, rows.map((r) => r.code));
    setAddError(error);
    if (error) return;
    setRows((all) => [...all, { code: fresh.code.trim(), name_id: fresh.name_id.trim(), name_en: fresh.name_en.trim(), added: true }]);
    setFresh({ code: "", name_id: "", name_en: "" });
  }
  async function save(event) {
    event.preventDefault();
    const body = {
      agencies: rows.filter((r) => !r.removed)
        .map((r) => ({ code: r.code, name_id: r.name_id.trim(), name_en: r.name_en.trim() })),
    };
    const done = await action.run(() => request(`/v1/regions/${encodeURIComponent(regionId)}`, { method: "PATCH", body }));
    if (done) onSaved(done);
  }
  const enter = (event) => { if (event.key === "Enter") { event.preventDefault(); add(); } };
  return (
    <form class="stack" onSubmit={save} data-testid="agencies-form" aria-labelledby="agencies-title">
      <ul class="admin-rows">
        {rows.map((r) => (
          <li class={`card admin-row agency-row${r.removed ? " removed" : ""}`} data-code={r.code} key={r.code}>
            <div class="admin-code">
              <code>{r.code}</code>
              {r.added && <span class="badge">{tr(T, "added")}</span>}
              {r.removed && <span class="badge">{tr(T, "removed")}</span>}
            </div>
            <label>{tr(T, "name_id")}
              <input name={`name_id.${r.code}`} value={r.name_id} required maxLength={160} disabled={r.removed}
                onInput={(e) => edit(r.code, "name_id", e.currentTarget.value)} /></label>
            <label>{tr(T, "name_en")}
              <input name={`name_en.${r.code}`} value={r.name_en} required maxLength={160} disabled={r.removed}
                onInput={(e) => edit(r.code, "name_en", e.currentTarget.value)} /></label>
            <div class="admin-row-actions">
              <button type="button" class="secondary" data-action={r.removed ? "undo" : "remove"}
                aria-label={`${tr(T, r.removed ? "undo" : "remove")}: ${r.code}`}
                onClick={() => (r.added ? setRows((all) => all.filter((x) => x.code !== r.code)) : edit(r.code, "removed", !r.removed))}>
                {tr(T, r.removed ? "undo" : "remove")}</button>
            </div>
          </li>
        ))}
      </ul>
      <fieldset class="card admin-add" data-testid="agency-add">
        <legend>{tr(T, "add_agency")}</legend>
        <label>{tr(T, "code")}
          <input name="new_code" value={fresh.code} maxLength={41} autocapitalize="none" spellcheck={false} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, code: e.currentTarget.value })} /></label>
        <label>{tr(T, "name_id")}
          <input name="new_name_id" value={fresh.name_id} maxLength={160} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, name_id: e.currentTarget.value })} /></label>
        <label>{tr(T, "name_en")}
          <input name="new_name_en" value={fresh.name_en} maxLength={160} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, name_en: e.currentTarget.value })} /></label>
        <div class="admin-row-actions">
          <button type="button" class="secondary" data-action="add" onClick={add}>{tr(T, "add")}</button>
        </div>
        <ErrorBox error={addError} />
      </fieldset>
      <p class="muted small">{tr(T, "draft")}</p>
      <div class="actions">
        <button type="submit" data-action="save" disabled={action.busy}>{tr(T, "save_agencies")}</button>
        <button type="button" class="secondary" onClick={() => onSaved(null)}>{c("cancel")}</button>
      </div>
      <ErrorBox error={action.error} />
    </form>
  );
}

function AgencySelect({ name, value, agencies, onChange, required }) {
  const known = agencies.some((a) => a.code === value);
  return (
    <select name={name} value={value} required={required} onChange={(e) => onChange(e.currentTarget.value)}>
      {!value && <option value="">–</option>}
      {value && !known && <option value={value}>{value}</option>}
      {agencies.map((a) => <option value={a.code}>{text(a.name)}</option>)}
    </select>
  );
}

function TeamSelect({ name, value, onChange }) {
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      {TEAMS.map((t) => <option value={t}>{tr(T, `team_${t}`)}</option>)}
    </select>
  );
}

function Categories({ regionId, categories, agencies, onSaved }) {
  const [rows, setRows] = useState(() => categories.map((k) => ({
    code: k.code, name_id: k.name.id, name_en: k.name.en, agency: k.agency, team: k.team, active: true,
    emergency: Boolean(k.emergency) })));
  const empty = { code: "", name_id: "", name_en: "", agency: "", team: "orange", emergency: false };
  const [fresh, setFresh] = useState(empty);
  const [addError, setAddError] = useState(null);
  const action = useAction();
  const edit = (code, field, value) => setRows((all) => all.map((r) => (r.code === code ? { ...r, [field]: value } : r)));
  function add() {
    const error = checkNew(fresh, rows.map((r) => r.code)) || (!fresh.agency ? problem("need_agency") : null);
    setAddError(error);
    if (error) return;
    setRows((all) => [...all, { ...fresh, code: fresh.code.trim(), name_id: fresh.name_id.trim(), name_en: fresh.name_en.trim(),
      active: true, added: true }]);
    setFresh(empty);
  }
  async function save(event) {
    event.preventDefault();
    const body = {
      categories: rows.map((r) => ({ code: r.code, name_id: r.name_id.trim(), name_en: r.name_en.trim(),
        agency: r.agency, team: r.team, active: r.active, emergency: Boolean(r.emergency) })),
    };
    const done = await action.run(() => request(`/v1/regions/${encodeURIComponent(regionId)}/categories`, { method: "PUT", body }));
    if (done) onSaved(done);
  }
  const enter = (event) => { if (event.key === "Enter") { event.preventDefault(); add(); } };
  return (
    <form class="stack" onSubmit={save} data-testid="categories-form" aria-labelledby="categories-title">
      {!rows.length && <p class="muted">{tr(T, "none")}</p>}
      <ul class="admin-rows">
        {rows.map((r) => (
          <li class={`card admin-row category-row${r.active ? "" : " removed"}`} data-code={r.code} key={r.code}>
            <div class="admin-code">
              <code>{r.code}</code>
              {r.added && <span class="badge">{tr(T, "added")}</span>}
            </div>
            <label>{tr(T, "name_id")}
              <input name={`name_id.${r.code}`} value={r.name_id} required maxLength={120}
                onInput={(e) => edit(r.code, "name_id", e.currentTarget.value)} /></label>
            <label>{tr(T, "name_en")}
              <input name={`name_en.${r.code}`} value={r.name_en} required maxLength={120}
                onInput={(e) => edit(r.code, "name_en", e.currentTarget.value)} /></label>
            <label>{tr(T, "agency")}
              <AgencySelect name={`agency.${r.code}`} value={r.agency} agencies={agencies} required
                onChange={(v) => edit(r.code, "agency", v)} /></label>
            <label>{tr(T, "team")}
              <TeamSelect name={`team.${r.code}`} value={r.team} onChange={(v) => edit(r.code, "team", v)} /></label>
            <label class="inline">
              <input type="checkbox" name={`active.${r.code}`} checked={r.active}
                onChange={(e) => edit(r.code, "active", e.currentTarget.checked)} />{tr(T, "active")}</label>
            <label class="inline">
              <input type="checkbox" name={`emergency.${r.code}`} checked={r.emergency}
                onChange={(e) => edit(r.code, "emergency", e.currentTarget.checked)} />{tr(T, "emergency")}</label>
            {r.added && (
              <div class="admin-row-actions">
                <button type="button" class="secondary" data-action="remove" aria-label={`${tr(T, "remove")}: ${r.code}`}
                  onClick={() => setRows((all) => all.filter((x) => x.code !== r.code))}>{tr(T, "remove")}</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <fieldset class="card admin-add" data-testid="category-add">
        <legend>{tr(T, "add_category")}</legend>
        <label>{tr(T, "code")}
          <input name="new_code" value={fresh.code} maxLength={41} autocapitalize="none" spellcheck={false} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, code: e.currentTarget.value })} /></label>
        <label>{tr(T, "name_id")}
          <input name="new_name_id" value={fresh.name_id} maxLength={120} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, name_id: e.currentTarget.value })} /></label>
        <label>{tr(T, "name_en")}
          <input name="new_name_en" value={fresh.name_en} maxLength={120} onKeyDown={enter}
            onInput={(e) => setFresh({ ...fresh, name_en: e.currentTarget.value })} /></label>
        <label>{tr(T, "agency")}
          <AgencySelect name="new_agency" value={fresh.agency} agencies={agencies}
            onChange={(v) => setFresh({ ...fresh, agency: v })} /></label>
        <label>{tr(T, "team")}
          <TeamSelect name="new_team" value={fresh.team} onChange={(v) => setFresh({ ...fresh, team: v })} /></label>
        <label class="inline">
          <input type="checkbox" name="new_emergency" checked={fresh.emergency}
            onChange={(e) => setFresh({ ...fresh, emergency: e.currentTarget.checked })} />{tr(T, "emergency")}</label>
        <div class="admin-row-actions">
          <button type="button" class="secondary" data-action="add" onClick={add}>{tr(T, "add")}</button>
        </div>
        <ErrorBox error={addError} />
      </fieldset>
      <p class="muted small">{tr(T, "draft")}</p>
      <div class="actions">
        <button type="submit" data-action="save" disabled={action.busy}>{tr(T, "save_categories")}</button>
        <button type="button" class="secondary" onClick={() => onSaved(null)}>{c("cancel")}</button>
      </div>
      <ErrorBox error={action.error} />
    </form>
  );
}

export default function CategoriesPage({ app }) {
  const base = `/v1/regions/${encodeURIComponent(app.regionId)}`;
  // the region's staff view, read here (app.region is not reloaded after a change)
  const region = useApi(() => get(base, undefined, FRESH), [base]);
  const categories = useApi(() => get(`${base}/categories`, undefined, FRESH), [base]);
  // which table was saved last (null: none, or a change was cancelled) and the codes the PUT reported retired
  const [saved, setSaved] = useState(null);
  const agencies = (region.data && region.data.agencies) || [];
  const agencyStamp = useStamp(region.data);
  const categoryStamp = useStamp(categories.data);
  const after = (which, reload) => (done) => { setSaved(done ? { which, retired: done.retired } : null); reload(); };
  return (
    <Page title={tr(T, "title")} wide>
      <h2 id="agencies-title">{tr(T, "agencies")}</h2>
      <p class="muted">{tr(T, "agencies_help")}</p>
      {region.data
        ? <Agencies key={agencyStamp} regionId={app.regionId} agencies={agencies} onSaved={after("agencies", region.reload)} />
        : region.loading ? <Loading /> : null}
      {region.loading && region.data && <Loading />}
      <ErrorBox error={region.error} onRetry={region.reload} />
      {saved && saved.which === "agencies" && !region.loading && <div data-testid="agencies-saved"><Notice>{c("saved")}</Notice></div>}

      <h2 id="categories-title">{tr(T, "categories")}</h2>
      <p class="muted">{tr(T, "categories_help")}</p>
      {categories.data && region.data
        ? <Categories key={categoryStamp} regionId={app.regionId} categories={categories.data.categories}
            agencies={agencies} onSaved={after("categories", categories.reload)} />
        : (categories.loading || region.loading) ? <Loading /> : null}
      {categories.loading && categories.data && <Loading />}
      <ErrorBox error={categories.error} onRetry={categories.reload} />
      {saved && saved.which === "categories" && !categories.loading && (
        <div data-testid="categories-saved">
          <Notice>{c("saved")}{saved.retired && saved.retired.length
            ? <span class="admin-retired"> {tr(T, "retired", { codes: saved.retired.join(", ") })}</span> : null}</Notice>
        </div>
      )}
    </Page>
  );
}
