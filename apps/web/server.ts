// The web app's HTTP server (`pnpm dev` / `pnpm start`, through server.mjs): Next.js inside a
// plain node:http server, for one reason — the client's IP. Next's pages and route handlers never see the
// socket, and Next passes a client-sent X-Forwarded-For through as it came (it fills it in
// from the socket only when absent), so per-IP throttles and audit entries would follow a
// header the client chooses. Here, where the socket is known, each request gets its client
// address (the peer, or per TRUSTED_PROXIES the right-most untrusted X-Forwarded-For hop) in
// an internal header that replaces any client-sent copy; @plinth/auth's clientIp() reads it.
// See docs/identity.md, "Client IP and trusted proxies".
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { compileTrustedProxies, stampClientAddress } from "@plinth/auth/client-address";
import { markClientIpHeaderSet } from "@plinth/auth/request-info";
import { serverEnv } from "./src/env.ts";

const env = serverEnv();
const dev = env.NODE_ENV !== "production";
// A bad TRUSTED_PROXIES entry stops the start instead of silently trusting nobody (or everybody).
const trusted = compileTrustedProxies(env.TRUSTED_PROXIES);
// The development server (and its dev mailbox) is reachable from this machine only.
const hostname = env.HOST ?? (dev ? "127.0.0.1" : undefined);

const httpServer = createServer();
const app = next({
  dev,
  dir: fileURLToPath(new URL(".", import.meta.url)),
  ...(hostname ? { hostname } : {}),
  port: env.PORT,
  httpServer,
});
const handle = app.getRequestHandler();
await app.prepare();
markClientIpHeaderSet();

httpServer.on("request", (request, response) => {
  stampClientAddress(request, trusted);
  void handle(request, response);
});
httpServer.listen(env.PORT, hostname, () => {
  const address = httpServer.address();
  const where = typeof address === "object" && address ? `${address.address}:${address.port}` : "";
  console.log(`> Plinth web (${dev ? "development" : "production"}) listening on ${where}`);
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  httpServer.close();
  httpServer.closeIdleConnections();
  void app.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
