// The API catalog's proxy against calling its upstream directly, same machine, same run, same
// load generator (autocannon, in this process; upstream and gateway in their own processes):
//   direct      the upstream (node:http answering a fixed JSON)
//   pipeline    the gateway answering a fixed JSON itself (key, rate limit, organization,
//               scope, metering) — what any /api/v1 call costs before proxying
//   proxy       GET /api/v1/bench/fixed-upstream through the gateway to the same upstream
//               (the pipeline + catalog match + undici keep-alive pool + units metering)
//   Hono-only   the same proxy call through a second gateway with the node:http fast path
//               off (BENCH_HONO=1: every request through the Hono app), the fast path's
//               same-run baseline (BENCH_BASELINE=0 skips it)
// Saturated throughput, then latency at a fixed rate (BENCH_RATE req/s).
//   pnpm --filter @plinth/gateway bench:proxy
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { insertApiKey } from "@plinth/api-keys";
import { createPrismaClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RATE = Number(process.env.BENCH_RATE ?? 500);

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-proxy-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_proxy");
if (pg) await ensureDatabase(pg.serverUrl, "bench_proxy");
await migrate(url);
const db = createPrismaClient(url, { role: "system", poolMax: 2 });

function start(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, ...env, DATABASE_URL: url, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /BENCH_READY (\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      const metering = /BENCH_METERING (\{.*\}) (\d+)/.exec(output);
      const catalog = /BENCH_CATALOG (.*)/.exec(output);
      if (catalog && !output.includes("BENCH_CATALOG_SEEN")) {
        output += "BENCH_CATALOG_SEEN";
        console.log(`  proxied paths: ${catalog[1]}`);
      }
      if (metering)
        console.log(`  metering writer at exit: ${metering[1]} (left unwritten: ${metering[2]})`);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

const upstream = await start("bench/server.ts", { BENCH_TARGET: "bare" });

const org = await db.organization.create({
  data: { name: "Bench", slug: `bench-${randomBytes(3).toString("hex")}` },
});
const now = new Date();
await db.subscription.create({
  data: {
    organizationId: org.id,
    planKey: "hybrid",
    status: "ACTIVE",
    currentPeriodStart: new Date(now.getTime() - 86_400_000),
    currentPeriodEnd: new Date(now.getTime() + 29 * 86_400_000),
  },
});
const product = await db.apiProduct.create({
  data: { slug: "bench", name: "Bench upstream", upstreamBaseUrl: upstream.url },
});
await db.apiEndpoint.create({
  data: {
    productId: product.id,
    method: "GET",
    path: "/fixed-upstream",
    upstreamPath: "/fixed",
    summary: "The upstream's fixed JSON",
    pricePerCallMicroCents: 100_000n,
  },
});
const { key } = await insertApiKey(db, {
  organizationId: org.id,
  name: "bench",
  scopes: ["projects:read", "apis:call"],
  rateLimit: { requests: 1_000_000, windowSeconds: 1 },
});

async function run(title: string, target: string, options: { rate?: number } = {}) {
  const result = await autocannon({
    url: target,
    connections: options.rate ? 10 : CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${key}` },
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  const non2xx = result.non2xx + result.errors;
  console.log(
    `  ${title.padEnd(30)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  (non-2xx/errors ${non2xx})`,
  );
  return result;
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

console.log(
  `node ${process.version}, ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
const gateway = await start("bench/proxy-server.ts", { BENCH_HONO: "0" });
const baseline =
  process.env.BENCH_BASELINE !== "0"
    ? await start("bench/proxy-server.ts", { BENCH_HONO: "1" })
    : null;
const eventsBefore = await db.usageEvent.count({ where: { organizationId: org.id } });
const direct = `${upstream.url}/fixed`;
const pipeline = `${gateway.url}/api/v1/bench/fixed`;
const proxy = `${gateway.url}/api/v1/bench/fixed-upstream`;
const probe = await fetch(proxy, { headers: { authorization: `Bearer ${key}` } });
console.log(`  first proxied answer: ${probe.status} ${(await probe.text()).slice(0, 120)}`);
await run("warm-up", proxy, { rate: 200 });
console.log(`saturated: ${CONNECTIONS} connections, ${SECONDS} s each`);
const directMax = await run("direct upstream", direct);
const pipelineMax = await run("gateway pipeline (fixed JSON)", pipeline);
// BENCH_CPU_PROF=<dir>: the gateway profiles this run only (bench/proxy-server.ts).
const profiling = Boolean(process.env.BENCH_CPU_PROF);
if (profiling) await fetch(`${gateway.url}/__bench/profile`, { method: "POST" });
const proxyMax = await run("gateway proxy → upstream", proxy);
if (profiling) {
  const file = await (await fetch(`${gateway.url}/__bench/profile`, { method: "DELETE" })).text();
  console.log(`  CPU profile of the proxy run: ${file}`);
}
const baselineProxy = baseline ? `${baseline.url}/api/v1/bench/fixed-upstream` : null;
if (baselineProxy) await run("warm-up (Hono only)", baselineProxy, { rate: 200 });
const baselineMax = baselineProxy ? await run("Hono-only proxy → upstream", baselineProxy) : null;
console.log(
  `  proxy/direct ${(proxyMax.requests.average / directMax.requests.average).toFixed(2)}, proxy/pipeline ${(proxyMax.requests.average / pipelineMax.requests.average).toFixed(2)}` +
    (baselineMax
      ? `, Hono-only proxy/direct ${(baselineMax.requests.average / directMax.requests.average).toFixed(2)}`
      : ""),
);
console.log(`fixed rate: ${RATE} req/s, 10 connections, ${SECONDS} s each`);
const directRate = await run("direct upstream", direct, { rate: RATE });
const pipelineRate = await run("gateway pipeline (fixed JSON)", pipeline, { rate: RATE });
const proxyRate = await run("gateway proxy → upstream", proxy, { rate: RATE });
const baselineRate = baselineProxy
  ? await run("Hono-only proxy → upstream", baselineProxy, { rate: RATE })
  : null;
console.log(
  `  added vs direct: p50 ${(proxyRate.latency.p50 - directRate.latency.p50).toFixed(2)} ms, p99 ${(proxyRate.latency.p99 - directRate.latency.p99).toFixed(2)} ms; ` +
    `added by proxying alone (vs pipeline): p50 ${(proxyRate.latency.p50 - pipelineRate.latency.p50).toFixed(2)} ms, p99 ${(proxyRate.latency.p99 - pipelineRate.latency.p99).toFixed(2)} ms` +
    (baselineRate
      ? `; Hono-only added vs direct: p50 ${(baselineRate.latency.p50 - directRate.latency.p50).toFixed(2)} ms, p99 ${(baselineRate.latency.p99 - directRate.latency.p99).toFixed(2)} ms`
      : ""),
);
if (baseline) await stop(baseline.child);
await stop(gateway.child);
await stop(upstream.child);
const events = await db.usageEvent.count({
  where: { organizationId: org.id, meter: "api.units" },
});
console.log(`  api.units events written for the proxied runs: ${events - eventsBefore}`);
await db.$disconnect();
await pg?.stop();
