// The bench's server process (spawned by gateway.bench.ts, so the load generator runs in
// another process): BENCH_TARGET=bare answers a fixed JSON with node:http; BENCH_TARGET=
// gateway serves the full gateway (verify, rate limit, organization, scope, quota, metering)
// with the product's routes plus GET /api/v1/bench/fixed (the same fixed JSON as bare).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { createLogger } from "@plinth/core/logger";
import { createDatabase } from "@plinth/db";
import { defineHttpRoute } from "@plinth/platform/http";
import { productRuntime } from "@plinth/product";
import { productRoutes } from "@plinth/product/http";
import { createGatewayRuntime } from "../src/runtime.ts";

const FIXED = { data: [{ id: "c000000000000000000000000", name: "Fixed", status: "ACTIVE" }] };
const ready = (port: number) => process.stdout.write(`BENCH_READY ${port}\n`);
// The bench asks for this process's CPU time around each run (SIGUSR2): CPU per request is
// what a busy shared machine distorts least (throughput also waits for the other processes).
process.on("SIGUSR2", () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`BENCH_CPU ${user + system}\n`);
});

if (process.env.BENCH_TARGET === "bare") {
  const body = JSON.stringify(FIXED);
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => ready((server.address() as AddressInfo).port));
} else {
  const url = process.env.DATABASE_URL!;
  const product = productRuntime("all");
  const fixedRoute = defineHttpRoute({
    method: "GET",
    path: "/bench/fixed",
    summary: "A fixed answer behind the whole pipeline",
    apiScope: "projects:read",
    write: false,
    successStatus: 200,
    response: z.object({
      data: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
    }),
    handle: () => Promise.resolve(FIXED),
  });
  const runtime = await createGatewayRuntime({
    database: createDatabase(url, { poolMax: 20 }),
    databaseUrl: url,
    product,
    routes: [...productRoutes(product), fixedRoute],
    logger: createLogger({ level: "warn" }),
    billing: { stripe: null, appUrl: "http://localhost:3000", pastDueGraceDays: 7 },
    // BENCH_HONO=1: every request through the Hono app (the fast path's same-run baseline).
    fastPath: process.env.BENCH_HONO !== "1",
  });
  const server = createServer(runtime.requestListener);
  server.listen(0, "127.0.0.1", () => ready((server.address() as AddressInfo).port));
  process.on("SIGTERM", () => {
    void runtime.close().then(({ remaining }) => {
      process.stdout.write(
        `BENCH_METERING ${JSON.stringify(runtime.writer.metrics())} ${remaining}\n`,
      );
      process.exit(0);
    });
  });
}
