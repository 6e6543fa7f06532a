// The proxy bench's gateway process (spawned by proxy.bench.ts): the full gateway with the
// product's routes, the API catalog's proxy extension and GET /api/v1/bench/fixed (the
// pipeline alone, answering a fixed JSON) for comparison.
import { createServer } from "node:http";
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
const server = createServer(runtime.requestListener);
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
