// Indonesian first, English by a switch; the choice is kept in localStorage
// and sent to the API as Accept-Language, so its error messages come back in
// the page's language.
import { signal } from "./signal.js";

const saved = (() => { try { return localStorage.getItem("aduan.lang"); } catch { return null; } })();
export const lang = signal(saved === "en" ? "en" : "id");

export function setLang(value) {
  lang.set(value);
  try { localStorage.setItem("aduan.lang", value); } catch { /* private mode */ }
  document.documentElement.lang = value;
}
document.documentElement.lang = lang.get();

// A page's own strings: tr(T, "key", {n: 3}) with T = {id: {...}, en: {...}}.
export function tr(table, key, params) {
  const text = (table[lang.get()] && table[lang.get()][key]) ?? table.id[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? ""));
}

// A bilingual text from the API: {id, en}.
export function text(value) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[lang.get()] ?? value.id ?? "";
}

const NUMBER = { id: "id-ID", en: "en-GB" };
export function num(value, digits = 0) {
  if (value == null || Number.isNaN(value)) return "–";
  return new Intl.NumberFormat(NUMBER[lang.get()], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}
export function money(value) {
  if (value == null) return "–";
  return "Rp " + new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 }).format(value);
}
export function when(iso, withTime = true) {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(NUMBER[lang.get()], withTime
    ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }).format(date);
}
