// Who the client of an HTTP request is, decided where the socket is known (apps/web/server.ts).
// The socket's peer address, unless that peer is a proxy listed in TRUSTED_PROXIES: then
// X-Forwarded-For is read from the right, skipping trusted hops, and the first untrusted
// address is the client (a client can prepend anything it likes to the header; only what
// the trusted proxies appended counts). proxy-addr (Express's implementation) does the walk.
import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";
import { CLIENT_IP_HEADER } from "./request-info.ts";

export type TrustedProxies = (address: string, hop: number) => boolean;

/**
 * TRUSTED_PROXIES: comma-separated IPs or CIDRs, IPv4 or IPv6 ("10.0.0.0/8, fd00::/8"), or
 * proxy-addr's names loopback, linklocal, uniquelocal. Empty: no proxy is trusted.
 * Throws a TypeError naming the bad entry.
 */
export function compileTrustedProxies(value: string | undefined): TrustedProxies {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  return proxyAddr.compile(entries);
}

function normalised(address: string): string {
  return ipaddr.process(address).toString(); // "::ffff:10.0.0.1" → "10.0.0.1"
}

/** The client's IP for this request, or null when the socket has no peer address. */
export function clientAddress(request: IncomingMessage, trusted: TrustedProxies): string | null {
  if (!request.socket.remoteAddress) return null;
  // [peer, …trusted hops…, client]: the last one is the client. A hop that is not an IP
  // (a trusted proxy passing on garbage) gives way to the last trusted hop before it.
  const hops = proxyAddr.all(request, trusted);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index]!;
    if (ipaddr.isValid(hop)) return normalised(hop);
  }
  return null;
}

/** Replaces any client-sent CLIENT_IP_HEADER with the address decided here. */
export function stampClientAddress(request: IncomingMessage, trusted: TrustedProxies): void {
  const address = clientAddress(request, trusted);
  delete request.headers[CLIENT_IP_HEADER];
  if (address !== null) request.headers[CLIENT_IP_HEADER] = address;
}
