// The proxy bench's gateway process (spawned by proxy.bench.ts): the full gateway with the
// product's routes, the API catalog's proxy extension and GET /api/v1/bench/fixed (the
// pipeline alone, answering a fixed JSON) for comparison.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { createLogger } from "@plinth/core/logger";
import { createDatabase } from "@plinth/db";
import { defineHttpRoute } from "@plinth/platform/http";
import { productRuntime } from "@plinth/product";
import { productGatewayExtensions, productRoutes } from "@plinth/product/http";
import { createGatewayRuntime } from "../src/runtime.ts";

const FIXED = { data: [{ id: "c000000000000000000000000", name: "Fixed", status: "ACTIVE" }] };
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
  extensions: productGatewayExtensions(product),
  logger: createLogger({ level: "warn" }),
  billing: { stripe: null, appUrl: "http://localhost:3000", pastDueGraceDays: 7 },
  // BENCH_HONO=1: every request through the Hono app (the fast path's same-run baseline).
  fastPath: process.env.BENCH_HONO !== "1",
});
// What the proxy serves (the catalog it loaded), for the bench's log.
process.stdout.write(
  `BENCH_CATALOG ${runtime.extensions.flatMap((extension) => Object.keys(extension.openapiPaths())).join(" ")}\n`,
);
// BENCH_CPU_PROF=<dir>: the bench brackets the saturated proxy run with POST /__bench/profile
// (start) and DELETE /__bench/profile (stop: the profile is written there), so the profile
// holds that run only — not start-up, module loading or the other runs.
const profileDir = process.env.BENCH_CPU_PROF;
const inspector = profileDir ? new Session() : null;
inspector?.connect();
async function profileControl(method: string | undefined): Promise<string> {
  if (!inspector || !profileDir) return "off";
  if (method === "POST") {
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.setSamplingInterval", { interval: 200 });
    await inspector.post("Profiler.start");
    return "started";
  }
  const { profile } = await inspector.post("Profiler.stop");
  const file = `${profileDir}/proxy-${process.env.BENCH_LABEL ?? "gateway"}-${process.pid}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  return file;
}
const server = createServer((req, res) => {
  if (req.url !== "/__bench/profile") return runtime.requestListener(req, res);
  void profileControl(req.method).then((text) => res.end(text));
});
server.listen(0, "127.0.0.1", () =>
  process.stdout.write(`BENCH_READY ${(server.address() as AddressInfo).port}\n`),
);
process.on("SIGTERM", () => {
  void runtime.close().then(({ remaining }) => {
    process.stdout.write(
      `BENCH_METERING ${JSON.stringify(runtime.writer.metrics())} ${remaining}\n`,
    );
    process.exit(0);
  });
});
