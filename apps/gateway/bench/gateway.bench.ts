// The gateway against bare node:http, same machine, same run, same load generator
// (autocannon, in this process; each server in its own process), same connections:
//   bare        node:http answering a fixed JSON
//   fixed       the full gateway pipeline (key verify from cache, rate limit, organization
//               from its 1 s cache, scope, quota, metering) answering the same fixed JSON
//   projects    GET /api/v1/projects: the pipeline + the RLS-scoped query
//   hono        the same gateway with the node:http fast path off (every request through
//               the Hono app, BENCH_HONO=1 in its process): the fast path's same-run baseline
//               (BENCH_BASELINE=0 skips it)
// Saturated throughput (BENCH_CONNECTIONS, BENCH_SECONDS), then latency at a fixed rate below
// saturation (BENCH_RATE req/s). The organization is on the hybrid plan (metered: quota never
// refuses, the writer counts). Metering: usage events written during the run.
//   pnpm --filter @plinth/gateway bench
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
const RATE = Number(process.env.BENCH_RATE ?? 1_000);

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-gateway-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_gateway");
if (pg) await ensureDatabase(pg.serverUrl, "bench_gateway");
await migrate(url);
const db = createPrismaClient(url, { role: "system", poolMax: 2 });

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
for (let i = 0; i < 20; i++) {
  await db.project.create({ data: { organizationId: org.id, name: `Project ${i}` } });
}
const { key } = await insertApiKey(db, {
  organizationId: org.id,
  name: "bench",
  scopes: ["projects:read"],
  rateLimit: { requests: 1_000_000, windowSeconds: 1 },
});

function startServer(
  target: "bare" | "gateway" | "hono",
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_CPU_PROF=<dir>: each gateway process writes a V8 CPU profile there at exit.
  const profile = target !== "bare" && process.env.BENCH_CPU_PROF;
  const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", "bench/server.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      ...process.env,
      BENCH_TARGET: target === "bare" ? "bare" : "gateway",
      BENCH_HONO: target === "hono" ? "1" : "0",
      DATABASE_URL: url,
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of output.matchAll(/BENCH_CPU (\d+)\n/g))
        cpuWaiters.shift()?.(Number(match[1]));
      output = output.replace(/BENCH_CPU \d+\n/g, "");
      const match = /BENCH_READY (\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      const metering = /BENCH_METERING (\{.*\}) (\d+)/.exec(output);
      if (metering)
        console.log(`  metering writer at exit: ${metering[1]} (left unwritten: ${metering[2]})`);
    });
    child.once("exit", (code) => reject(new Error(`${target} server exited (${code})`)));
  });
}

const cpuWaiters: ((micros: number) => void)[] = [];
/** CPU time (µs) the server process has used so far. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    cpuWaiters.push(resolve);
    child.kill("SIGUSR2");
  });
}

async function run(
  title: string,
  url: string,
  options: { rate?: number; server?: ChildProcess } = {},
) {
  const cpuBefore = options.server ? await cpuOf(options.server) : 0;
  const result = await autocannon({
    url,
    connections: options.rate ? 10 : CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${key}` },
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  const non2xx = result.non2xx + result.errors;
  const cpuPerRequest = options.server
    ? ((await cpuOf(options.server)) - cpuBefore) / Math.max(1, result.requests.total)
    : NaN;
  console.log(
    `  ${title.padEnd(34)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  server CPU ${cpuPerRequest.toFixed(0)} µs/req  (non-2xx/errors ${non2xx})`,
  );
  return Object.assign(result, { cpuPerRequest });
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
console.log(`saturated: ${CONNECTIONS} connections, ${SECONDS} s each`);
const bare = await startServer("bare");
const bareMax = await run("bare node:http (fixed JSON)", bare.url, { server: bare.child });
const gateway = await startServer("gateway");
const eventsBefore = await db.usageEvent.count({ where: { organizationId: org.id } });
await run("warm-up", `${gateway.url}/api/v1/bench/fixed`, { rate: 200 });
const fixedMax = await run("gateway pipeline (fixed JSON)", `${gateway.url}/api/v1/bench/fixed`, {
  server: gateway.child,
});
// BENCH_FIXED_ONLY=1: the pipeline without the projects route (e.g. to profile the pipeline).
const fixedOnly = process.env.BENCH_FIXED_ONLY === "1";
const projectsMax = fixedOnly
  ? bareMax
  : await run("gateway GET /api/v1/projects", `${gateway.url}/api/v1/projects`, {
      server: gateway.child,
    });
const baseline = process.env.BENCH_BASELINE !== "0";
const hono = baseline ? await startServer("hono") : null;
if (hono) await run("warm-up (Hono only)", `${hono.url}/api/v1/bench/fixed`, { rate: 200 });
const honoMax = hono
  ? await run("Hono-only pipeline (fixed JSON)", `${hono.url}/api/v1/bench/fixed`, {
      server: hono.child,
    })
  : null;
console.log(
  `  ratio pipeline/bare ${(fixedMax.requests.average / bareMax.requests.average).toFixed(2)}, projects/bare ${(projectsMax.requests.average / bareMax.requests.average).toFixed(2)}` +
    (honoMax
      ? `, Hono-only pipeline/bare ${(honoMax.requests.average / bareMax.requests.average).toFixed(2)}, fast/Hono-only ${(fixedMax.requests.average / honoMax.requests.average).toFixed(2)}`
      : ""),
);
console.log(
  `  server CPU per request, bare/pipeline ${(bareMax.cpuPerRequest / fixedMax.cpuPerRequest).toFixed(2)}, bare/projects ${(bareMax.cpuPerRequest / projectsMax.cpuPerRequest).toFixed(2)} (the throughput ratio a machine with nothing else running would approach, server-bound)`,
);
console.log(`fixed rate: ${RATE} req/s, 10 connections, ${SECONDS} s each`);
const bareRate = await run("bare node:http (fixed JSON)", bare.url, {
  rate: RATE,
  server: bare.child,
});
const fixedRate = await run("gateway pipeline (fixed JSON)", `${gateway.url}/api/v1/bench/fixed`, {
  rate: RATE,
  server: gateway.child,
});
if (!fixedOnly) {
  await run("gateway GET /api/v1/projects", `${gateway.url}/api/v1/projects`, {
    rate: RATE,
    server: gateway.child,
  });
}
const honoRate = hono
  ? await run("Hono-only pipeline (fixed JSON)", `${hono.url}/api/v1/bench/fixed`, {
      rate: RATE,
      server: hono.child,
    })
  : null;
console.log(
  `  added by the pipeline: p50 ${(fixedRate.latency.p50 - bareRate.latency.p50).toFixed(2)} ms, p99 ${(fixedRate.latency.p99 - bareRate.latency.p99).toFixed(2)} ms` +
    (honoRate
      ? `; Hono-only: p50 ${(honoRate.latency.p50 - bareRate.latency.p50).toFixed(2)} ms, p99 ${(honoRate.latency.p99 - bareRate.latency.p99).toFixed(2)} ms`
      : ""),
);
if (hono) await stop(hono.child);
await stop(gateway.child);
await stop(bare.child);
const events = (await db.usageEvent.count({ where: { organizationId: org.id } })) - eventsBefore;
console.log(`  usage events written for the gateway runs: ${events}`);
await db.$disconnect();
await pg?.stop();
