// The client's IP address as the app sees it. Next.js route handlers and pages never see the
// socket, and Next passes a client-sent X-Forwarded-For through untouched (it only fills it in
// when absent), so no header a client can send is trusted here. Instead the web server
// (apps/web/server.ts, around Next) decides the address from the socket and TRUSTED_PROXIES
// (see ./client-address.ts), removes any client-sent copy of CLIENT_IP_HEADER and sets it.
// Read only when that server marked the process: under a plain `next start` the header could
// come from the client, so the IP is unknown (null) there.
import ipaddr from "ipaddr.js";

export const CLIENT_IP_HEADER = "x-plinth-client-ip";

const SERVER_MARK = Symbol.for("plinth.client-ip-header");
type Marked = { [SERVER_MARK]?: true };

/** Called once by apps/web/server.ts: this process's requests carry CLIENT_IP_HEADER. */
export function markClientIpHeaderSet(): void {
  (globalThis as Marked)[SERVER_MARK] = true;
}

/** The client's IP (per TRUSTED_PROXIES), or null when unknown. */
export function clientIp(headers: Headers): string | null {
  if ((globalThis as Marked)[SERVER_MARK] !== true) return null;
  const value = headers.get(CLIENT_IP_HEADER);
  return value !== null && ipaddr.isValid(value) ? value : null;
}

/** A loopback address (127.0.0.0/8, ::1, ::ffff:127.x.x.x). */
export function isLoopback(ip: string | null): boolean {
  if (ip === null || !ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === "loopback";
}
