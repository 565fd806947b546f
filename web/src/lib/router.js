// Hash routes (#/report/abc): they work from any static host and never
// reach the server, so no token or filter ever lands in a server log.
import { signal } from "./signal.js";

function parse() {
  const raw = (location.hash || "#/").slice(1) || "/";
  const [path, search = ""] = raw.split("?");
  return { path, params: Object.fromEntries(new URLSearchParams(search)) };
}

export const route = signal(parse());
window.addEventListener("hashchange", () => route.set(parse()));

export function go(path, params) {
  const search = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString() : "";
  location.hash = "#" + path + (search ? `?${search}` : "");
}

// Match "/report/:id" against "/report/abc" -> {id: "abc"} or null.
export function match(pattern, path) {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
