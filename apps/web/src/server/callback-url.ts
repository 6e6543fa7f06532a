// Where to go after signing in or up: only a path on this site ("/o/acme/projects",
// "/invite/<token>"), never another origin. Refused (→ the fallback): absolute URLs
// ("https://evil.example", "javascript:…"), protocol-relative ones ("//evil.example"), and
// their disguises — browsers treat "\" like "/" and drop tabs and newlines, so "/\evil.example"
// and "/\t/evil.example" would become "//evil.example".
const BASE = "http://callback.invalid";

export function safeCallbackUrl(
  value: FormDataEntryValue | string | null | undefined,
  fallback = "/",
): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  // Backslashes, control characters (tab, CR, LF, …) and DEL anywhere.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === "\\" || code < 0x20 || code === 0x7f) return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  // Dot segments can collapse into "//": "/..//evil.example" has the path "//evil.example".
  if (url.origin !== BASE || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The invitation token in a callback URL that points at an invitation page, or null. */
export function invitationTokenOf(callbackUrl: string): string | null {
  return /^\/invite\/([A-Za-z0-9_-]{43})$/.exec(callbackUrl)?.[1] ?? null;
}
