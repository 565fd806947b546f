// The region admin's staff accounts: the directory (GET …/staff, pages of
// 100 with filters), a new account (POST …/accounts: Cognito sends its
// temporary password, which the API never shows), and deactivating or
// reactivating an account (sign-in refused, sessions revoked; its actions
// stay on record). One's own account cannot be deactivated. An account that
// has not signed in yet (awaiting_first_sign_in) can get its invitation again
// (POST …/staff/{username}/resend-invite: a new temporary password).
import { useState } from "preact/hooks";
import { get, post } from "../../lib/api.js";
import { text, tr } from "../../lib/i18n.js";
import { c, ErrorBox, Loading, Notice, Page, useAction, useApi } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Akun staf", list: "Daftar staf", account_short: "Akun", create: "Buat akun staf", name: "Nama", account: "Akun (e-mail/telepon)",
    role: "Peran", place: "Dinas / kelurahan", status: "Status", actions: "Tindakan", active: "Aktif",
    inactive: "Nonaktif", deactivate: "Nonaktifkan", reactivate: "Aktifkan kembali", you: "akun Anda",
    search: "Cari nama", filter: "Tampilkan", none: "Tidak ada akun staf yang cocok.", count: "{n} akun",
    choose_role: "Pilih peran", email: "E-mail", phone: "Nomor telepon (+62…)", agency: "Dinas", kelurahan: "Kelurahan/desa",
    npwp: "NPWP kontraktor", no_place: "–", contact_help: "Isi e-mail atau nomor telepon: itulah nama akunnya (telepon dipakai bila keduanya diisi).",
    place_help: "Petugas dan kepala dinas wajib diberi dinas atau kelurahan.", need_contact: "Isi e-mail atau nomor telepon.",
    need_place: "Pilih dinas atau kelurahan untuk peran ini.", submit: "Buat akun",
    created: "Akun {username} ({role}) dibuat.",
    sent_email: "Kata sandi sementara dikirim ke e-mail {username}; staf menggantinya saat pertama masuk.",
    sent_sms: "Kata sandi sementara dikirim lewat SMS ke {username}; staf menggantinya saat pertama masuk.",
    deactivated: "Akun dinonaktifkan.", reactivated: "Akun diaktifkan kembali.",
    awaiting: "Belum pernah masuk", resend: "Kirim ulang undangan",
    resent_email: "Undangan dikirim ulang ke e-mail {username}: kata sandi sementara baru, berlaku lagi sejak sekarang.",
    resent_sms: "Undangan dikirim ulang lewat SMS ke {username}: kata sandi sementara baru, berlaku lagi sejak sekarang.",
    role_verifier: "Verifikator", role_officer: "Petugas", role_agency_head: "Kepala dinas",
    role_region_admin: "Admin daerah", role_finance: "Keuangan", role_contractor: "Kontraktor",
  },
  en: {
    title: "Staff accounts", list: "Staff directory", account_short: "Account", create: "Create a staff account", name: "Name", account: "Account (e-mail/phone)",
    role: "Role", place: "Agency / kelurahan", status: "Status", actions: "Actions", active: "Active",
    inactive: "Inactive", deactivate: "Deactivate", reactivate: "Reactivate", you: "your account",
    search: "Search by name", filter: "Show", none: "No staff accounts match.", count: "{n} accounts",
    choose_role: "Choose a role", email: "E-mail", phone: "Phone number (+62…)", agency: "Agency", kelurahan: "Kelurahan/desa",
    npwp: "Contractor's NPWP", no_place: "–", contact_help: "Fill in an e-mail or a phone number: it becomes the account's name (the phone when both are given).",
    place_help: "Officers and agency heads need an agency or a kelurahan.", need_contact: "Fill in an e-mail or a phone number.",
    need_place: "Choose an agency or a kelurahan for this role.", submit: "Create account",
    created: "Account {username} ({role}) created.",
    sent_email: "A temporary password was e-mailed to {username}; they choose their own at the first sign-in.",
    sent_sms: "A temporary password was sent by SMS to {username}; they choose their own at the first sign-in.",
    deactivated: "Account deactivated.", reactivated: "Account reactivated.",
    awaiting: "Not signed in yet", resend: "Resend invitation",
    resent_email: "Invitation e-mailed again to {username}: a new temporary password, valid again from now.",
    resent_sms: "Invitation sent again by SMS to {username}: a new temporary password, valid again from now.",
    role_verifier: "Verifier", role_officer: "Officer", role_agency_head: "Agency head",
    role_region_admin: "Region admin", role_finance: "Finance", role_contractor: "Contractor",
  },
};
// what a region admin may create (StaffRequest.role)
const ROLES = ["verifier", "officer", "agency_head", "region_admin", "finance", "contractor"];
const NEEDS_PLACE = ["officer", "agency_head"];
const FRESH = { headers: { "Cache-Control": "no-cache" } };
const roleText = (role) => (ROLES.includes(role) ? tr(T, `role_${role}`) : role);
const problem = (key) => Object.assign(new Error(tr(T, key)), { code: key });
// A username as a path segment (the API percent-decodes path parameters).
const segment = (value) => encodeURIComponent(value);

function Place({ entry, agencies, kelurahan }) {
  const agency = entry.agency && agencies.find((a) => a.code === entry.agency);
  const parts = [];
  if (entry.agency) parts.push(agency ? text(agency.name) : entry.agency);
  if (entry.kelurahan_code) parts.push(kelurahan[entry.kelurahan_code] || entry.kelurahan_code);
  return <>{parts.length ? parts.join(" · ") : tr(T, "no_place")}</>;
}

function Row({ entry, base, self, agencies, kelurahan, onChanged }) {
  const action = useAction();
  const invite = useAction();
  const resend = () => invite.run(() => post(`${base}/staff/${segment(entry.username)}/resend-invite`))
    .then((done) => done && onChanged(done.entry));
  const toggle = () => action.run(() => post(`${base}/staff/${segment(entry.username)}/${entry.active ? "deactivate" : "reactivate"}`))
    .then((done) => done && onChanged(done));
  return (
    <tr data-username={entry.username} data-active={String(entry.active)}>
      <td data-label={tr(T, "name")}><strong>{entry.name}</strong></td>
      <td data-label={tr(T, "account_short")} class="staff-account">{entry.username}</td>
      <td data-label={tr(T, "role")}>{roleText(entry.role)}</td>
      <td data-label={tr(T, "place")}><Place entry={entry} agencies={agencies} kelurahan={kelurahan} /></td>
      <td data-label={tr(T, "status")}>
        <span class={`badge ${entry.active ? "status-done" : "status-rejected"}`} data-testid="staff-status">
          <span aria-hidden="true">{entry.active ? "●" : "○"}</span> {tr(T, entry.active ? "active" : "inactive")}</span>
        {entry.awaiting_first_sign_in && <> <span class="badge" data-testid="staff-awaiting">{tr(T, "awaiting")}</span></>}
      </td>
      <td data-label={tr(T, "actions")}>
        {self
          ? <span class="muted">{tr(T, "you")}</span>
          : <button type="button" class={entry.active ? "danger" : "secondary"} disabled={action.busy}
              data-action={entry.active ? "deactivate" : "reactivate"}
              aria-label={`${tr(T, entry.active ? "deactivate" : "reactivate")}: ${entry.name}`}
              onClick={toggle}>{tr(T, entry.active ? "deactivate" : "reactivate")}</button>}
        {!self && entry.active && entry.awaiting_first_sign_in && (
          <>{" "}<button type="button" class="secondary" disabled={invite.busy} data-action="resend-invite"
            aria-label={`${tr(T, "resend")}: ${entry.name}`} onClick={resend}>{tr(T, "resend")}</button></>
        )}
        <ErrorBox error={action.error} />
        <ErrorBox error={invite.error} />
        {invite.done && invite.done.username && (
          <div data-testid="staff-resent"><Notice>
            {tr(T, invite.done.delivery === "sms" ? "resent_sms" : "resent_email", { username: invite.done.username })}
          </Notice></div>
        )}
      </td>
    </tr>
  );
}

function Directory({ base, me, agencies, kelurahan, stamp }) {
  const [filters, setFilters] = useState({ role: "", active: "", q: "" });
  const [pages, setPages] = useState([]);
  const [changed, setChanged] = useState({});
  const [more, setMore] = useState({ busy: false, error: null });
  const params = { limit: 100, role: filters.role, active: filters.active, q: filters.q };
  const first = useApi(async () => { setPages([]); setChanged({}); return get(`${base}/staff`, params, FRESH); },
    [base, filters.role, filters.active, filters.q, stamp]);
  function apply(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({ role: String(form.get("role") || ""), active: String(form.get("active") || ""), q: String(form.get("q") || "").trim() });
  }
  const all = first.data ? [first.data, ...pages] : [];
  const items = all.flatMap((p) => p.items).map((e) => changed[e.username] || e);
  const cursor = all.length ? all[all.length - 1].next_cursor : null;
  async function loadMore() {
    setMore({ busy: true, error: null });
    try {
      const page = await get(`${base}/staff`, { ...params, cursor }, FRESH);
      setPages((p) => [...p, page]);
      setMore({ busy: false, error: null });
    } catch (error) { setMore({ busy: false, error }); }
  }
  return (
    <div>
      <form class="filters card" onSubmit={apply} data-testid="staff-filters">
        <label>{tr(T, "role")}
          <select name="role" defaultValue={filters.role}>
            <option value="">{c("all")}</option>
            {ROLES.map((r) => <option value={r}>{roleText(r)}</option>)}
          </select></label>
        <label>{tr(T, "status")}
          <select name="active" defaultValue={filters.active}>
            <option value="">{c("all")}</option>
            <option value="true">{tr(T, "active")}</option>
            <option value="false">{tr(T, "inactive")}</option>
          </select></label>
        <label>{tr(T, "search")}<input name="q" type="search" maxLength={60} defaultValue={filters.q} /></label>
        <button type="submit">{tr(T, "filter")}</button>
      </form>
      {first.loading && <Loading />}
      <ErrorBox error={first.error} onRetry={first.reload} />
      {first.data && !items.length && <p class="muted" data-testid="staff-empty">{tr(T, "none")}</p>}
      {items.length > 0 && (
        <>
          <p class="muted small" aria-live="polite">{tr(T, "count", { n: items.length })}{cursor ? "+" : ""}</p>
          <div class="table-wrap staff-wrap">
            <table class="stacked" data-testid="staff-table">
              <caption class="sr-only">{tr(T, "list")}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(T, "name")}</th><th scope="col">{tr(T, "account")}</th><th scope="col">{tr(T, "role")}</th>
                  <th scope="col">{tr(T, "place")}</th><th scope="col">{tr(T, "status")}</th><th scope="col">{tr(T, "actions")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <Row key={e.username} entry={e} base={base} self={!!me && me.username === e.username} agencies={agencies}
                    kelurahan={kelurahan} onChanged={(done) => setChanged((m) => ({ ...m, [done.username]: done }))} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {cursor && <button type="button" class="secondary" disabled={more.busy} onClick={loadMore}>{c("more")}</button>}
      <ErrorBox error={more.error} />
    </div>
  );
}

function Create({ base, agencies, kecamatan, onCreated }) {
  const [role, setRole] = useState("");
  const action = useAction();
  async function submit(event) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const value = (key) => String(form.get(key) || "").trim() || undefined;
    const body = { name: value("name"), role, email: value("email"), phone: value("phone") };
    if (role === "contractor") body.npwp = value("npwp");
    else {
      body.agency = value("agency");
      body.kelurahan_code = value("kelurahan_code");
    }
    const done = await action.run(async () => {
      if (!body.email && !body.phone) throw problem("need_contact");
      if (NEEDS_PLACE.includes(role) && !body.agency && !body.kelurahan_code) throw problem("need_place");
      return post(`${base}/accounts`, body);
    });
    if (done) {
      target.reset();
      setRole("");
      onCreated(done);
    }
  }
  const created = action.done;
  return (
    <form class="stack card" onSubmit={submit} data-testid="staff-create-form" aria-labelledby="staff-create-title">
      <label>{tr(T, "name")}<input name="name" required maxLength={120} autocomplete="off" /></label>
      <label>{tr(T, "role")}
        <select name="role" required value={role} onChange={(e) => { setRole(e.currentTarget.value); action.reset(); }}>
          <option value="">{tr(T, "choose_role")}</option>
          {ROLES.map((r) => <option value={r}>{roleText(r)}</option>)}
        </select></label>
      <p class="muted small" style={{ margin: 0 }}>{tr(T, "contact_help")}</p>
      <label>{tr(T, "email")}<input name="email" type="email" maxLength={254} autocomplete="off" /></label>
      <label>{tr(T, "phone")}<input name="phone" type="tel" maxLength={20} pattern={"\\+62[0-9]{8,13}"} placeholder="+62…" autocomplete="off" /></label>
      {role === "contractor"
        ? <label>{tr(T, "npwp")}<input name="npwp" required maxLength={32} inputMode="numeric" /></label>
        : (
          <>
            {NEEDS_PLACE.includes(role) && <p class="muted small" style={{ margin: 0 }}>{tr(T, "place_help")}</p>}
            <label>{tr(T, "agency")}
              <select name="agency">
                <option value="">–</option>
                {agencies.map((a) => <option value={a.code}>{text(a.name)}</option>)}
              </select></label>
            <label>{tr(T, "kelurahan")}
              <select name="kelurahan_code">
                <option value="">–</option>
                {kecamatan.map((k) => (
                  <optgroup label={k.name}>
                    {k.kelurahan.map((d) => <option value={d.code}>{d.name}</option>)}
                  </optgroup>
                ))}
              </select></label>
          </>
        )}
      <div class="actions">
        <button type="submit" data-action="create" disabled={action.busy}>{tr(T, "submit")}</button>
      </div>
      <ErrorBox error={action.error} />
      {created && created.username && (
        <Notice>
          <span data-testid="staff-created">{tr(T, "created", { username: created.username, role: roleText(created.role) })}</span>{" "}
          {tr(T, created.username.startsWith("+") ? "sent_sms" : "sent_email", { username: created.username })}
        </Notice>
      )}
    </form>
  );
}

export default function Staff({ app }) {
  const base = `/v1/regions/${encodeURIComponent(app.regionId)}`;
  // the agencies as they are now (read fresh; app.region is refreshed only after a save on the categories page)
  const region = useApi(() => get(base, undefined, FRESH), [base]);
  const areas = useApi(() => get(`${base}/areas`), [base]);
  const [stamp, setStamp] = useState(0);
  const agencies = (region.data && region.data.agencies) || (app.region && app.region.agencies) || [];
  const kecamatan = (areas.data && areas.data.kecamatan) || [];
  const kelurahan = {};
  for (const k of kecamatan) for (const d of k.kelurahan) kelurahan[d.code] = d.name;
  return (
    <Page title={tr(T, "title")} wide>
      <ErrorBox error={region.error} onRetry={region.reload} />
      <ErrorBox error={areas.error} onRetry={areas.reload} />
      <h2>{tr(T, "list")}</h2>
      <Directory base={base} me={app.me} agencies={agencies} kelurahan={kelurahan} stamp={stamp} />
      <h2 id="staff-create-title">{tr(T, "create")}</h2>
      <Create base={base} agencies={agencies} kecamatan={kecamatan} onCreated={() => setStamp((n) => n + 1)} />
    </Page>
  );
}
