// Cross-site request forgery defence for tRPC: a mutation (any non-GET/HEAD request) is served
// only to (a) a browser request from the app's own origin, judged by Sec-Fetch-Site (sent by
// every current browser) or, failing that, the Origin header; or (b) an API-key client
// (`Authorization: Bearer …`, which browsers never attach on their own). Anything else —
// another site's form or fetch, or a header-less script with a stolen cookie — is refused.
// Pure (no `next`): unit tested on plain Headers.

export type RequestKind = "same-origin" | "api-key" | "read";

export type OriginVerdict = { ok: true; kind: RequestKind } | { ok: false; reason: string };

/** The bearer credential of an API-key client, or null. */
export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  const match = value ? /^Bearer\s+(\S{1,512})$/i.exec(value.trim()) : null;
  return match?.[1] ?? null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * @param allowedOrigins the app's public origins (AUTH_URL / APP_URL), e.g. "https://app.example.com"
 */
export function checkRequestOrigin(input: {
  method: string;
  headers: Headers;
  allowedOrigins: string[];
}): OriginVerdict {
  const method = input.method.toUpperCase();
  if (bearerToken(input.headers)) return { ok: true, kind: "api-key" };
  if (method === "GET" || method === "HEAD") return { ok: true, kind: "read" };

  const site = input.headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin"
      ? { ok: true, kind: "same-origin" }
      : { ok: false, reason: `cross-origin request (Sec-Fetch-Site: ${site})` };
  }
  const origin = input.headers.get("origin");
  if (origin === null || origin === "null")
    return { ok: false, reason: "mutation without an Origin header" };
  const allowed = new Set(
    input.allowedOrigins.map(originOf).filter((o): o is string => o !== null),
  );
  return allowed.has(origin)
    ? { ok: true, kind: "same-origin" }
    : { ok: false, reason: "cross-origin request (Origin not allowed)" };
}
