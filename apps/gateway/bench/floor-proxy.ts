// The proxy bench's floor (spawned by proxy.bench.ts; bench-only, never served): a bare
// node:http proxy on the same undici Pool settings as the catalog proxy, with no key, rate
// limit, organization, metering or metrics — every request forwarded to BENCH_UPSTREAM's
// /fixed and its body piped back. What any Node proxy costs on these cores; the gap between
// it and the gateway's proxy is our pipeline's.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const upstream = process.env.BENCH_UPSTREAM;
if (!upstream) throw new Error("BENCH_UPSTREAM is required");
// The catalog proxy's pool options (modules/api-catalog/src/proxy/extension.ts).
const pool = new Pool(upstream, {
  connections: 128,
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  headersTimeout: 10_000,
  bodyTimeout: 30_000,
  connect: { timeout: 5_000 },
});
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "date", "server"]);

const server = createServer((req, res) => {
  pool
    .request({ path: "/fixed", method: "GET", headers: { "x-request-id": "floor" } })
    .then(({ statusCode, headers, body }) => {
      const out: Record<string, string | string[]> = {};
      for (const name of Object.keys(headers)) {
        const value = headers[name];
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      res.writeHead(statusCode, out);
      body.once("error", () => res.destroy());
      body.pipe(res);
    })
    .catch(() => {
      res.writeHead(502);
      res.end();
    });
  req.resume();
});
server.listen(0, "127.0.0.1", () =>
  process.stdout.write(`BENCH_READY ${(server.address() as AddressInfo).port}\n`),
);
process.on("SIGTERM", () => {
  server.close();
  void pool.close().then(() => process.exit(0));
});
