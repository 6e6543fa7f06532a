// Gateway process entry point: `pnpm --filter @plinth/gateway start` (npm run dev starts it
// beside web and worker). SIGTERM: stop accepting connections, let in-flight requests finish,
// drain the metering writer, write the last API-key uses, exit.
import { createServer } from "node:http";
import { rootLogger } from "@plinth/core/root-logger";
import { createDatabase } from "@plinth/db";
import { activeProduct } from "@plinth/product";
import { productGatewayExtensions, productRoutes } from "@plinth/product/http";
import { gatewayEnv } from "./env.ts";
import { attachProductSockets } from "./practice-socket.ts";
import { createGatewayRuntime } from "./runtime.ts";

// Validate every key before anything starts (an InvalidEnvError names each bad key).
const env = gatewayEnv();
const logger = rootLogger().child({ app: "gateway" });
const database = createDatabase(env.DATABASE_URL, { poolMax: 20 });
const product = activeProduct();
const runtime = await createGatewayRuntime({
  database,
  databaseUrl: env.DATABASE_URL,
  product,
  routes: productRoutes(product),
  extensions: productGatewayExtensions(product),
  logger,
  redisUrl: env.REDIS_URL,
  ipRateLimit: env.GATEWAY_IP_RATE_LIMIT,
  organizationCacheMs: env.GATEWAY_ORGANIZATION_CACHE_MS,
});

// The fast path for authenticated GETs, the Hono app for everything else (./fast-path.ts).
const server = createServer(runtime.requestListener);
server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST ?? "0.0.0.0", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.GATEWAY_PORT;
  logger.info({ port, redis: Boolean(env.REDIS_URL) }, "gateway listening");
  // Test harnesses read the port from this line (GATEWAY_PORT=0 picks a free one).
  process.stdout.write(`GATEWAY_READY ${port}\n`);
});
const sockets = attachProductSockets(server, { database, product, logger });

let stopping = false;
async function stop(signal: string) {
  if (stopping) {
    logger.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, "gateway stopping");
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), env.GATEWAY_SHUTDOWN_TIMEOUT_MS);
  await Promise.all([closed, sockets.close()]);
  clearTimeout(deadline);
  const { remaining } = await runtime.close(env.GATEWAY_SHUTDOWN_TIMEOUT_MS);
  await database.disconnect();
  if (remaining > 0) logger.error({ remaining }, "usage events not written before exit");
  logger.info({ remaining }, "gateway stopped");
  process.exit(remaining > 0 ? 1 : 0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop(signal));
