// The one rule for redirect targets that come from a request (`callbackUrl` after sign-in or
// sign-up, `returnTo` after the test-mode checkout, …): only a path on this site. Free of
// `next`, so the web app, server actions and tests share it.
//
// Refused (→ the fallback): anything that is not a string of 1–2048 characters; absolute URLs
// ("https://evil.example", "javascript:…"); protocol-relative ones ("//evil.example"); and
// their disguises. Browsers treat "\" like "/" and drop tabs and newlines, so "/\evil.example"
// and "/\t/evil.example" would become "//evil.example"; a control character in a Location
// header is also a 500. Percent-encoded forms ("/%2F/evil", "/%5Cevil", "/%09/evil") are
// refused too, in case anything downstream decodes the path once more, and so are lone UTF-16
// surrogates. Dot segments are resolved first ("/a/../b" → "/b"; "/..//evil" is refused).
// Other characters (unicode look-alikes such as "／") come back percent-encoded, as a path.

const BASE = "http://redirect.invalid";
export const MAX_REDIRECT_PATH_LENGTH = 2048;

// C0 controls, DEL, C1 controls, and the backslash.
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\\]/;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unsafePath(path: string): boolean {
  return path.startsWith("//") || UNSAFE_CHARACTER.test(path);
}

function decodedOnce(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null; // a malformed escape ("%E0%A4%A"): not a path we produced
  }
}

/** `value` if it is a path on this site (normalised), otherwise `fallback`. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_REDIRECT_PATH_LENGTH)
    return fallback;
  if (LONE_SURROGATE.test(value) || !value.startsWith("/") || unsafePath(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // After dot segments are resolved, and once more after one round of percent-decoding.
  const decoded = decodedOnce(url.pathname);
  if (decoded === null || unsafePath(url.pathname) || unsafePath(decoded)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
