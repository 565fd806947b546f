// Staff sign-in against the region's Cognito user pool, from the browser:
// the USER_PASSWORD_AUTH flow the mobile app uses (InitiateAuth, then
// RespondToAuthChallenge for the new password a staff account created by
// the region admin must choose at its first sign-in). The tokens live in
// sessionStorage (gone with the tab), never in a URL.
import { signal } from "./signal.js";

const KEY = "aduan.session";

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (saved && saved.expiresAt > Date.now()) return saved;
  } catch { /* nothing kept */ }
  return null;
}

export const session = signal(load());

function keep(value) {
  try {
    if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
    else sessionStorage.removeItem(KEY);
  } catch { /* private mode: memory only */ }
  session.set(value);
}

export function signOut() { keep(null); }

export class SignInError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

async function cognito(config, action, body) {
  let response;
  try {
    response = await fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError("network", "");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = String(data.__type || data.code || "").split("#").pop();
    throw new SignInError(type || "unknown", data.message || "");
  }
  return data;
}

function claims(idToken) {
  const part = idToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const json = decodeURIComponent(Array.from(atob(part), (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""));
  return JSON.parse(json);
}

// -> {done: true} or {challenge: "NEW_PASSWORD_REQUIRED", session, username}
export async function signIn(config, username, password, loadMe) {
  const reply = await cognito(config, "InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH", ClientId: config.client_id,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (reply.ChallengeName === "NEW_PASSWORD_REQUIRED") {
    return { challenge: reply.ChallengeName, session: reply.Session, username };
  }
  if (!reply.AuthenticationResult) throw new SignInError(reply.ChallengeName || "unsupported_challenge", "");
  await finish(reply.AuthenticationResult, loadMe);
  return { done: true };
}

export async function completeNewPassword(config, pending, newPassword, loadMe) {
  const reply = await cognito(config, "RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED", ClientId: config.client_id, Session: pending.session,
    ChallengeResponses: { USERNAME: pending.username, NEW_PASSWORD: newPassword },
  });
  if (!reply.AuthenticationResult) throw new SignInError(reply.ChallengeName || "unsupported_challenge", "");
  await finish(reply.AuthenticationResult, loadMe);
  return { done: true };
}

async function finish(result, loadMe) {
  const idToken = result.IdToken;
  const expiresAt = (claims(idToken).exp || 0) * 1000;
  const draft = { idToken, expiresAt, me: null };
  session.set(draft); // loadMe's request carries the token
  try {
    keep({ ...draft, me: await loadMe() });
  } catch (error) {
    keep(null);
    throw error;
  }
}

// What the signed-in person may see.
export function role() { const s = session.get(); return s && s.me ? s.me.role : null; }
export function me() { const s = session.get(); return s ? s.me : null; }
export const DESK = ["verifier", "region_admin", "platform_admin"];
export const WORKERS = ["officer", "agency_head"];
export const LEADERS = ["agency_head", "region_admin", "platform_admin"];
export const ADMINS = ["region_admin", "platform_admin"];
export const STAFF = ["verifier", "officer", "agency_head", "region_admin", "platform_admin"];
export function can(roles) { const r = role(); return !!r && roles.includes(r); }
