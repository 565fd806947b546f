// The region admin's tables: the agencies (dinas) and the report categories.
// Both are edited as a draft and saved whole: PATCH /v1/regions/{id}
// {agencies} (a code is kept on rename, so reports keep pointing at it; an
// agency an active category still names is refused with 409) and PUT
// …/categories {categories} (a category switched off or left out is
// retired, never deleted; adding its code again brings it back).
// An agency's emergency responder (agencies[].responder: an SMS number, an SNS
// topic aduan-responder-*, or a partner's webhook; none) and a category's
// questions (categories[].questions, the Open311 attributes) are edited in the
// same drafts; the API's validation errors are shown next to the row they name.
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
    responder: "Kontak siaga darurat", responder_kind: "Jenis kontak", responder_none: "Tidak ada", responder_sms: "SMS ke nomor siaga",
    responder_sns: "Topik SNS (aduan-responder-…)", responder_webhook: "Webhook sistem mitra",
    responder_to: "Nomor ponsel siaga (+628…)", responder_topic: "ARN topik SNS", responder_partner: "Id mitra",
    questions: "Pertanyaan tambahan ({n}/{max})", add_question: "Tambah pertanyaan", remove_question: "Hapus pertanyaan",
    q_code: "Kode pertanyaan", q_type: "Jenis jawaban", q_desc_id: "Pertanyaan (Indonesia)", q_desc_en: "Pertanyaan (Inggris)",
    q_required: "Wajib dijawab", q_values: "Pilihan jawaban", add_value: "Tambah pilihan", remove_value: "Hapus pilihan",
    v_key: "Kunci", v_name_id: "Nama (Indonesia)", v_name_en: "Nama (Inggris)",
    type_string: "Teks singkat", type_number: "Angka", type_text: "Teks panjang", type_singlevaluelist: "Pilih satu",
    type_multivaluelist: "Pilih beberapa", row_error: "Baris ini: {message}",
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
    responder: "Emergency responder", responder_kind: "Kind of contact", responder_none: "None", responder_sms: "SMS to a duty phone",
    responder_sns: "SNS topic (aduan-responder-…)", responder_webhook: "A partner system's webhook",
    responder_to: "Duty mobile number (+628…)", responder_topic: "SNS topic ARN", responder_partner: "Partner id",
    questions: "Extra questions ({n}/{max})", add_question: "Add a question", remove_question: "Remove the question",
    q_code: "Question code", q_type: "Answer type", q_desc_id: "Question (Indonesian)", q_desc_en: "Question (English)",
    q_required: "Required", q_values: "Listed answers", add_value: "Add an answer", remove_value: "Remove the answer",
    v_key: "Key", v_name_id: "Name (Indonesian)", v_name_en: "Name (English)",
    type_string: "Short text", type_number: "Number", type_text: "Long text", type_singlevaluelist: "Pick one",
    type_multivaluelist: "Pick several", row_error: "This row: {message}",
  },
};
const TEAMS = ["pink", "white", "orange", "yellow", "blue"]; // TeamCode of the contract
// the contract's limits (chalicelib/contract/regions.py, chalicelib/domain/questions.py and emergencies.py)
const DATATYPES = ["string", "number", "text", "singlevaluelist", "multivaluelist"];
const LISTS = ["singlevaluelist", "multivaluelist"];
const QUESTIONS_MAX = 10; // per category (40 per region)
const VALUES_MAX = 50; // per question (200 per region)
const DESCRIPTION_MAX = 160;
const CHOICE_NAME_MAX = 60;
const KEY_MAX = 40;
const RESPONDER_FIELD = { sms: "to", sns: "topic_arn", webhook: "partner_id" };
const RESPONDER_MAX = { sms: 16, sns: 300, webhook: 64 };
const RESPONDER_HINT = { sms: "+6281234567890", sns: "arn:aws:sns:ap-southeast-3:123456789012:aduan-responder-damkar", webhook: "psc119" };
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

// The row an API error names: by its index in the body sent (field "categories[2].questions[0].code"), or by
// the category code it names (invalid_question); null: shown only at the bottom of the form.
function errorRow(error, table, sent) {
  if (!error || error.status !== 400 && error.status !== 409 && error.status !== 422) return null;
  const params = error.params || {};
  const match = new RegExp(`^${table}\\[(\\d+)\\]`).exec(String(params.field || ""));
  if (match && sent[Number(match[1])]) return sent[Number(match[1])];
  if (table === "categories" && params.category && sent.includes(params.category)) return params.category;
  if (table === "agencies" && params.agency && sent.includes(params.agency)) return params.agency;
  return null;
}

function RowError({ error }) {
  return error ? <div data-testid="row-error"><ErrorBox error={error} /></div> : null;
}

const responderOf = (a) => {
  const r = a.responder;
  return r ? { kind: r.kind, value: r[RESPONDER_FIELD[r.kind]] || "" } : { kind: "", value: "" };
};

function ResponderFields({ code, value, partners, onChange }) {
  return (
    <fieldset class="admin-responder" data-testid="responder">
      <legend>{tr(T, "responder")}</legend>
      <label>{tr(T, "responder_kind")}
        <select name={`responder_kind.${code}`} value={value.kind}
          onChange={(e) => onChange({ kind: e.currentTarget.value, value: "" })}>
          <option value="">{tr(T, "responder_none")}</option>
          {Object.keys(RESPONDER_FIELD).map((k) => <option value={k}>{tr(T, `responder_${k}`)}</option>)}
        </select></label>
      {value.kind && (
        <label>{tr(T, { sms: "responder_to", sns: "responder_topic", webhook: "responder_partner" }[value.kind])}
          <input name={`responder_value.${code}`} value={value.value} required maxLength={RESPONDER_MAX[value.kind]}
            placeholder={RESPONDER_HINT[value.kind]} autocapitalize="none" spellcheck={false}
            type={value.kind === "sms" ? "tel" : "text"} list={value.kind === "webhook" ? "partner-ids" : undefined}
            onInput={(e) => onChange({ ...value, value: e.currentTarget.value })} /></label>
      )}
      {value.kind === "webhook" && (
        <datalist id="partner-ids">{partners.map((p) => <option value={p.id}>{p.name}</option>)}</datalist>
      )}
    </fieldset>
  );
}

function Agencies({ regionId, agencies, onSaved }) {
  const [rows, setRows] = useState(() => agencies.map((a) => ({ code: a.code, name_id: a.name.id, name_en: a.name.en,
    responder: responderOf(a) })));
  const [fresh, setFresh] = useState({ code: "", name_id: "", name_en: "" });
  const [addError, setAddError] = useState(null);
  const [sent, setSent] = useState([]);
  const action = useAction();
  // the region's partner systems, offered for a webhook responder (an admin may list them)
  const partners = useApi(() => get(`/v1/regions/${encodeURIComponent(regionId)}/partners`).catch(() => null), [regionId]);
  const partnerList = (partners.data && partners.data.items) || (Array.isArray(partners.data) ? partners.data : []);
  const failedRow = errorRow(action.error, "agencies", sent);
  const edit = (code, field, value) => setRows((all) => all.map((r) => (r.code === code ? { ...r, [field]: value } : r)));
  function add() {
    const error = checkNew(fresh, rows.map((r) => r.code));
    setAddError(error);
    if (error) return;
    setRows((all) => [...all, { code: fresh.code.trim(), name_id: fresh.name_id.trim(), name_en: fresh.name_en.trim(), added: true,
      responder: { kind: "", value: "" } }]);
    setFresh({ code: "", name_id: "", name_en: "" });
  }
  async function save(event) {
    event.preventDefault();
    const body = {
      agencies: rows.filter((r) => !r.removed)
        .map((r) => ({ code: r.code, name_id: r.name_id.trim(), name_en: r.name_en.trim(),
          responder: r.responder.kind ? { kind: r.responder.kind, [RESPONDER_FIELD[r.responder.kind]]: r.responder.value.trim() } : null })),
    };
    setSent(body.agencies.map((a) => a.code));
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
            {!r.removed && <ResponderFields code={r.code} value={r.responder} partners={partnerList}
              onChange={(v) => edit(r.code, "responder", v)} />}
            {failedRow === r.code && <RowError error={action.error} />}
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

const blankQuestion = () => ({ code: "", datatype: "string", description_id: "", description_en: "", required: false, values: [] });
const blankValue = () => ({ key: "", name_id: "", name_en: "" });

// A category's questions (add, remove, edit), with the contract's fields and limits.
function Questions({ code, questions, onChange }) {
  const set = (i, field, value) => onChange(questions.map((q, n) => (n === i ? { ...q, [field]: value } : q)));
  const setType = (i, datatype) => onChange(questions.map((q, n) => (n !== i ? q : {
    ...q, datatype, values: LISTS.includes(datatype) ? (q.values.length ? q.values : [blankValue()]) : [] })));
  const setValue = (i, v, field, value) => set(i, "values", questions[i].values.map((x, m) => (m === v ? { ...x, [field]: value } : x)));
  return (
    <fieldset class="admin-questions" data-testid="questions">
      <legend>{tr(T, "questions", { n: questions.length, max: QUESTIONS_MAX })}</legend>
      {questions.map((q, i) => (
        <div class="admin-question card" data-question={q.code || String(i)}>
          <label>{tr(T, "q_code")}
            <input name={`q_code.${code}.${i}`} value={q.code} required maxLength={41}
              autocapitalize="none" spellcheck={false} onInput={(e) => set(i, "code", e.currentTarget.value)} /></label>
          <label>{tr(T, "q_type")}
            <select name={`q_type.${code}.${i}`} value={q.datatype} onChange={(e) => setType(i, e.currentTarget.value)}>
              {DATATYPES.map((d) => <option value={d}>{tr(T, `type_${d}`)}</option>)}
            </select></label>
          <label>{tr(T, "q_desc_id")}
            <input name={`q_desc_id.${code}.${i}`} value={q.description_id} required maxLength={DESCRIPTION_MAX}
              onInput={(e) => set(i, "description_id", e.currentTarget.value)} /></label>
          <label>{tr(T, "q_desc_en")}
            <input name={`q_desc_en.${code}.${i}`} value={q.description_en} required maxLength={DESCRIPTION_MAX}
              onInput={(e) => set(i, "description_en", e.currentTarget.value)} /></label>
          <label class="inline">
            <input type="checkbox" name={`q_required.${code}.${i}`} checked={q.required}
              onChange={(e) => set(i, "required", e.currentTarget.checked)} />{tr(T, "q_required")}</label>
          {LISTS.includes(q.datatype) && (
            <fieldset class="admin-values">
              <legend>{tr(T, "q_values")}</legend>
              {q.values.map((v, m) => (
                <div class="admin-value">
                  <label>{tr(T, "v_key")}
                    <input name={`v_key.${code}.${i}.${m}`} value={v.key} required maxLength={KEY_MAX}
                      autocapitalize="none" spellcheck={false} onInput={(e) => setValue(i, m, "key", e.currentTarget.value)} /></label>
                  <label>{tr(T, "v_name_id")}
                    <input name={`v_name_id.${code}.${i}.${m}`} value={v.name_id} required maxLength={CHOICE_NAME_MAX}
                      onInput={(e) => setValue(i, m, "name_id", e.currentTarget.value)} /></label>
                  <label>{tr(T, "v_name_en")}
                    <input name={`v_name_en.${code}.${i}.${m}`} value={v.name_en} required maxLength={CHOICE_NAME_MAX}
                      onInput={(e) => setValue(i, m, "name_en", e.currentTarget.value)} /></label>
                  <button type="button" class="secondary" data-action="remove-value" disabled={q.values.length <= 1}
                    aria-label={`${tr(T, "remove_value")}: ${v.key || m + 1}`}
                    onClick={() => set(i, "values", q.values.filter((_, x) => x !== m))}>{tr(T, "remove_value")}</button>
                </div>
              ))}
              <button type="button" class="secondary" data-action="add-value" disabled={q.values.length >= VALUES_MAX}
                onClick={() => set(i, "values", [...q.values, blankValue()])}>{tr(T, "add_value")}</button>
            </fieldset>
          )}
          <div class="admin-row-actions">
            <button type="button" class="secondary" data-action="remove-question"
              aria-label={`${tr(T, "remove_question")}: ${q.code || i + 1}`}
              onClick={() => onChange(questions.filter((_, n) => n !== i))}>{tr(T, "remove_question")}</button>
          </div>
        </div>
      ))}
      <button type="button" class="secondary" data-action="add-question" disabled={questions.length >= QUESTIONS_MAX}
        onClick={() => onChange([...questions, blankQuestion()])}>{tr(T, "add_question")}</button>
    </fieldset>
  );
}

const questionOut = (q) => ({
  code: q.code.trim(), datatype: q.datatype, description_id: q.description_id.trim(), description_en: q.description_en.trim(),
  required: Boolean(q.required),
  values: LISTS.includes(q.datatype) ? q.values.map((v) => ({ key: v.key.trim(), name_id: v.name_id.trim(), name_en: v.name_en.trim() })) : [],
});

function Categories({ regionId, categories, agencies, onSaved }) {
  const [rows, setRows] = useState(() => categories.map((k) => ({
    code: k.code, name_id: k.name.id, name_en: k.name.en, agency: k.agency, team: k.team, active: true,
    emergency: Boolean(k.emergency), questions: (k.questions || []).map((q) => ({ ...q, values: q.values || [] })) })));
  const [sent, setSent] = useState([]);
  const empty = { code: "", name_id: "", name_en: "", agency: "", team: "orange", emergency: false };
  const [fresh, setFresh] = useState(empty);
  const [addError, setAddError] = useState(null);
  const action = useAction();
  const failedRow = errorRow(action.error, "categories", sent);
  const edit = (code, field, value) => setRows((all) => all.map((r) => (r.code === code ? { ...r, [field]: value } : r)));
  function add() {
    const error = checkNew(fresh, rows.map((r) => r.code)) || (!fresh.agency ? problem("need_agency") : null);
    setAddError(error);
    if (error) return;
    setRows((all) => [...all, { ...fresh, code: fresh.code.trim(), name_id: fresh.name_id.trim(), name_en: fresh.name_en.trim(),
      active: true, added: true, questions: [] }]);
    setFresh(empty);
  }
  async function save(event) {
    event.preventDefault();
    const body = {
      categories: rows.map((r) => ({ code: r.code, name_id: r.name_id.trim(), name_en: r.name_en.trim(),
        agency: r.agency, team: r.team, active: r.active, emergency: Boolean(r.emergency),
        questions: r.questions.map(questionOut) })),
    };
    setSent(body.categories.map((k) => k.code));
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
            <Questions code={r.code} questions={r.questions} onChange={(qs) => edit(r.code, "questions", qs)} />
            {failedRow === r.code && <RowError error={action.error} />}
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
  // the region's staff view, read here (and app.region refreshed after a save, for the other pages)
  const region = useApi(() => get(base, undefined, FRESH), [base]);
  const categories = useApi(() => get(`${base}/categories`, undefined, FRESH), [base]);
  // which table was saved last (null: none, or a change was cancelled) and the codes the PUT reported retired
  const [saved, setSaved] = useState(null);
  const agencies = (region.data && region.data.agencies) || [];
  const agencyStamp = useStamp(region.data);
  const categoryStamp = useStamp(categories.data);
  const after = (which, reload) => (done) => {
    setSaved(done ? { which, retired: done.retired } : null);
    reload();
    if (done && app.refreshRegion) app.refreshRegion();
  };
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
