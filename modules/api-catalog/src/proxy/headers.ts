// Headers across the proxy (RFC 9110 §7.6.1): hop-by-hop headers — the fixed list and any the
// Connection header names — are never forwarded, in either direction. Towards the upstream
// the buyer's credentials (Authorization, cookies) and its own forwarding claims are dropped;
// the gateway sets the upstream secret, X-Request-Id and X-Forwarded-For itself.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Never sent upstream: the buyer's key and cookies, what the gateway sets itself. */
const REQUEST_DROPPED = new Set([
  "host",
  "authorization",
  "cookie",
  "content-length",
  "x-request-id",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "forwarded",
  "x-real-ip",
  "idempotency-key",
]);

/** Never sent back: framing the gateway redoes, cookies of the upstream's own domain. */
const RESPONSE_DROPPED = new Set(["content-length", "set-cookie", "server", "date"]);

type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

function connectionTokens(value: string | string[] | null | undefined): Set<string> | null {
  if (!value) return null;
  const text = Array.isArray(value) ? value.join(",") : value;
  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** `incoming` without hop-by-hop headers, those its Connection names, and `dropped`. */
function forwardable(
  incoming: HeaderRecord,
  dropped: ReadonlySet<string>,
): Record<string, string | string[]> {
  const named = connectionTokens(incoming.connection);
  const headers: Record<string, string | string[]> = {};
  for (const name of Object.keys(incoming)) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    if (named?.has(name)) continue;
    headers[name] = value;
  }
  return headers;
}

/** The buyer's headers as the upstream gets them (names lowercase), then the gateway's own. */
export function upstreamRequestHeaders(
  incoming: HeaderRecord,
  extra: Record<string, string>,
): Record<string, string | string[]> {
  return { ...forwardable(incoming, REQUEST_DROPPED), ...extra };
}

/** The upstream's headers as the buyer gets them (undici's names: lowercase). */
export function downstreamResponseHeaders(
  incoming: HeaderRecord,
): Record<string, string | string[]> {
  return forwardable(incoming, RESPONSE_DROPPED);
}
