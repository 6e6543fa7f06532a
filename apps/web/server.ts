// The web app's HTTP server (`pnpm dev` / `pnpm start`, through server.mjs): Next.js inside a
// plain node:http server, for one reason — the client's IP. Next's pages and route handlers never see the
// socket, and Next passes a client-sent X-Forwarded-For through as it came (it fills it in
// from the socket only when absent), so per-IP throttles and audit entries would follow a
// header the client chooses. Here, where the socket is known, each request gets its client
// address (the peer, or per TRUSTED_PROXIES the right-most untrusted X-Forwarded-For hop) in
// an internal header that replaces any client-sent copy; @plinth/auth's clientIp() reads it.
// See docs/identity.md, "Client IP and trusted proxies".
// With GATEWAY_URL set it also forwards /api/v1/* to the public API gateway, so the app's own
// origin serves the API without a load balancer in front (the browser tests; `npm run dev`
// uses next.config.ts's rewrite instead). docs/gateway.md.
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
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

/** Streams the request to the gateway and its answer back (502 problem+json if it is down). */
function proxyToGateway(gateway: URL, request: IncomingMessage, response: ServerResponse) {
  const peer = request.socket.remoteAddress;
  const forwardedFor = request.headers["x-forwarded-for"];
  const upstream = forward(
    {
      host: gateway.hostname,
      port: gateway.port,
      method: request.method,
      path: request.url,
      headers: {
        ...request.headers,
        host: gateway.host,
        ...(peer
          ? { "x-forwarded-for": forwardedFor ? `${String(forwardedFor)}, ${peer}` : peer }
          : {}),
      },
    },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on("error", () => {
    if (response.headersSent) return void response.destroy();
    response
      .writeHead(502, { "content-type": "application/problem+json", "cache-control": "no-store" })
      .end(JSON.stringify({ type: "about:blank", title: "Bad Gateway", status: 502 }));
  });
  request.pipe(upstream);
}

const gateway = env.GATEWAY_URL ? new URL(env.GATEWAY_URL) : null;
httpServer.on("request", (request, response) => {
  if (gateway && (request.url === "/api/v1" || request.url?.startsWith("/api/v1/"))) {
    proxyToGateway(gateway, request, response);
    return;
  }
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
