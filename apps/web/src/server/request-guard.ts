// Requests refused before Next.js sees them (installed once, from src/instrumentation.ts):
//   - a method the app does not serve (TRACE, PROPFIND, PUT, DELETE, …) → 405 with Allow;
//   - a path whose percent-encoding does not decode (`/invite/%E0%A4%A`, `/o/%ED%A0%80`) → 400.
// Why here: Next builds a WHATWG Request for the proxy and for route handlers, and undici's
// Request refuses TRACE, so Next answers a TRACE to any path with a 500; a path segment that
// does not decode is a 500 too. Next has no hook that runs earlier than those, so the guard
// sits on Node's HTTP server itself. A route that needs another method adds it to ALLOWED.
import { Server, type IncomingMessage, type ServerResponse } from "node:http";

/** Every method a page, server action or route handler of this app answers. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"] as const;
const ALLOWED = new Set<string>(ALLOWED_METHODS);

export interface Refusal {
  status: 400 | 405;
  headers: Record<string, string>;
  body: string;
}

/** Why a request line is refused, or null when Next may handle it. */
export function refusalFor(method: string | undefined, url: string | undefined): Refusal | null {
  const plain = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };
  if (!method || !ALLOWED.has(method)) {
    return {
      status: 405,
      headers: { ...plain, allow: ALLOWED_METHODS.join(", ") },
      body: "Method Not Allowed",
    };
  }
  const path = (url ?? "/").split("?")[0] ?? "/";
  try {
    decodeURIComponent(path);
  } catch {
    return { status: 400, headers: plain, body: "Bad Request: malformed URL encoding" };
  }
  return null;
}

let installed = false;

/** Answers refused requests on every Node HTTP server of this process (Next's included). */
export function installRequestGuard(): void {
  if (installed) return;
  installed = true;
  // Kept unbound on purpose: guardedEmit calls it with the server as `this` (Reflect.apply).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emit = Server.prototype.emit;
  function guardedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      const refusal = refusalFor(request.method, request.url);
      if (refusal) {
        response.writeHead(refusal.status, refusal.headers);
        response.end(request.method === "HEAD" ? undefined : refusal.body);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  }
  Server.prototype.emit = guardedEmit as typeof emit;
}
