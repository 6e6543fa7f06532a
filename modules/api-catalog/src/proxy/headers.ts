// Headers across the proxy (RFC 9110 §7.6.1): hop-by-hop headers — the fixed list and any the
// Connection header names — are never forwarded, in either direction. Towards the upstream
// the buyer's credentials (Authorization, cookies) and its own forwarding claims are dropped;
// the gateway sets the upstream secret, X-Request-Id and X-Forwarded-For itself.
import type { IncomingHttpHeaders } from "node:http";

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

function connectionTokens(value: string | string[] | null | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

export function upstreamRequestHeaders(
  incoming: Headers,
  extra: Record<string, string>,
): Record<string, string> {
  const named = connectionTokens(incoming.get("connection"));
  const headers: Record<string, string> = {};
  incoming.forEach((value, name) => {
    if (HOP_BY_HOP.has(name) || REQUEST_DROPPED.has(name) || named.has(name)) return;
    headers[name] = value;
  });
  for (const [name, value] of Object.entries(extra)) headers[name] = value;
  return headers;
}

export function downstreamResponseHeaders(incoming: IncomingHttpHeaders): Headers {
  const named = connectionTokens(incoming.connection);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || RESPONSE_DROPPED.has(name) || named.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}
