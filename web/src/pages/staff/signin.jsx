// Staff sign-in against the region's Cognito pool (USER_PASSWORD_AUTH),
// with the new-password step of a first sign-in.
import { useState } from "preact/hooks";
import { get } from "../../lib/api.js";
import { completeNewPassword, role, signIn } from "../../lib/auth.js";
import { tr } from "../../lib/i18n.js";
import { go } from "../../lib/router.js";
import { ErrorBox, Page } from "../../lib/ui.jsx";

const T = {
  id: {
    title: "Masuk staf", username: "Email atau nomor HP", password: "Kata sandi", submit: "Masuk",
    new_title: "Buat kata sandi baru", new_help: "Ini masuk pertama Anda: pilih kata sandi baru (minimal 8 karakter).",
    new_password: "Kata sandi baru", confirm: "Ulangi kata sandi baru", set: "Simpan dan masuk",
    mismatch: "Kedua kata sandi baru tidak sama.",
    NotAuthorizedException: "Email/nomor HP atau kata sandi salah.",
    UserNotFoundException: "Email/nomor HP atau kata sandi salah.",
    UserNotConfirmedException: "Akun belum dikonfirmasi.",
    InvalidPasswordException: "Kata sandi baru tidak memenuhi aturan (panjang, huruf, angka).",
    PasswordResetRequiredException: "Kata sandi harus diatur ulang oleh admin wilayah.",
    TooManyRequestsException: "Terlalu banyak percobaan. Tunggu sebentar.",
    network: "Tidak dapat menghubungi layanan masuk. Periksa koneksi.",
    unknown: "Gagal masuk. Coba lagi.",
  },
  en: {
    title: "Staff sign-in", username: "Email or phone number", password: "Password", submit: "Sign in",
    new_title: "Choose a new password", new_help: "This is your first sign-in: choose a new password (at least 8 characters).",
    new_password: "New password", confirm: "Repeat the new password", set: "Save and sign in",
    mismatch: "The two new passwords differ.",
    NotAuthorizedException: "Wrong email/phone number or password.",
    UserNotFoundException: "Wrong email/phone number or password.",
    UserNotConfirmedException: "The account is not confirmed yet.",
    InvalidPasswordException: "The new password does not meet the rules (length, letters, digits).",
    PasswordResetRequiredException: "The password must be reset by the region admin.",
    TooManyRequestsException: "Too many attempts. Wait a moment.",
    network: "Cannot reach the sign-in service. Check the connection.",
    unknown: "Sign-in failed. Try again.",
  },
};

function message(error) {
  if (error && error.status !== undefined) return error; // an ApiError from /v1/me, already in the page's language
  const key = error && T.id[error.code] ? error.code : "unknown";
  return { code: error && error.code, message: tr(T, key) };
}

export default function SignIn({ app, query }) {
  const [pending, setPending] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const config = app.config.sign_in;
  const loadMe = () => get("/v1/me");
  const HOME = { verifier: "/queue", officer: "/inbox", agency_head: "/overview", region_admin: "/overview", platform_admin: "/overview" };
  const after = () => (query.next && query.next.startsWith("/") ? query.next : HOME[role()] || "/");

  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      if (pending) {
        if (form.get("new_password") !== form.get("confirm")) {
          setError({ code: "mismatch", message: tr(T, "mismatch") });
          return;
        }
        await completeNewPassword(config, pending, String(form.get("new_password")), loadMe);
        go(after());
      } else {
        const result = await signIn(config, String(form.get("username")).trim(), String(form.get("password")), loadMe);
        if (result.challenge) setPending(result);
        else go(after());
      }
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={pending ? tr(T, "new_title") : tr(T, "title")}>
      <form class="stack card" onSubmit={submit} data-testid={pending ? "new-password-form" : "signin-form"} style={{ maxWidth: "26rem" }}>
        {pending ? (
          <>
            <p>{tr(T, "new_help")}</p>
            <label>{tr(T, "new_password")}<input name="new_password" type="password" autocomplete="new-password" required minLength={8} /></label>
            <label>{tr(T, "confirm")}<input name="confirm" type="password" autocomplete="new-password" required minLength={8} /></label>
            <button type="submit" disabled={busy}>{tr(T, "set")}</button>
          </>
        ) : (
          <>
            <label>{tr(T, "username")}<input name="username" autocomplete="username" required /></label>
            <label>{tr(T, "password")}<input name="password" type="password" autocomplete="current-password" required /></label>
            <button type="submit" disabled={busy}>{tr(T, "submit")}</button>
          </>
        )}
        <ErrorBox error={error} />
      </form>
    </Page>
  );
}
