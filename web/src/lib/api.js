// The API from the same origin. Every failure becomes an ApiError whose
// message is the API's own, in the page's language (Accept-Language); a
// network failure gets a message of ours.
import { lang, tr } from "./i18n.js";
import { session, signOut } from "./auth.js";

const T = {
  id: { network: "Tidak dapat menghubungi server. Periksa koneksi lalu coba lagi.", bad_reply: "Jawaban server tidak terbaca." },
  en: { network: "Cannot reach the server. Check the connection and try again.", bad_reply: "The server's reply could not be read." },
};

export class ApiError extends Error {
  constructor(status, code, message, params) {
    super(message);
    this.status = status;
    this.code = code;
    this.params = params;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export async function request(path, { method = "GET", body, params, headers = {}, raw = false, auth = true } = {}) {
  const all = { "Accept-Language": lang.get() === "en" ? "en" : "id", ...headers };
  const current = session.get();
  if (auth && current) all.Authorization = `Bearer ${current.idToken}`;
  if (body !== undefined) all["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path + query(params), { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network", tr(T, "network"));
  }
  if (raw && response.ok) return response;
  let data = null;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try { data = await response.json(); } catch { throw new ApiError(response.status, "bad_reply", tr(T, "bad_reply")); }
  }
  if (!response.ok) {
    const error = data && data.error;
    if (response.status === 401 && current) signOut();
    throw new ApiError(response.status, error ? error.code : `http_${response.status}`,
      error ? error.message : `HTTP ${response.status}`, error && error.params);
  }
  return data;
}

export const get = (path, params, options = {}) => request(path, { ...options, params });
export const post = (path, body, options = {}) => request(path, { ...options, method: "POST", body });

// A key per user action: a retry of the same action (a double click, a
// flaky phone connection) is answered with the first result.
export function idempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

// Upload a file through a presigned POST ({url, fields}) straight to S3.
export async function uploadTo(form, file) {
  const data = new FormData();
  for (const [key, value] of Object.entries(form.fields)) data.append(key, value);
  data.append("file", file);
  let response;
  try {
    response = await fetch(form.url, { method: "POST", body: data });
  } catch {
    throw new ApiError(0, "network", tr(T, "network"));
  }
  if (!response.ok) throw new ApiError(response.status, "upload_failed", `HTTP ${response.status}`);
}
