// The API catalog's proxy against calling its upstream directly, same machine, same run, same
// load generator (autocannon, in this process; upstream, floor and gateways in their own
// processes):
//   direct      the upstream (node:http answering a fixed JSON)
//   floor       a bare node:http proxy on the same undici Pool settings, no pipeline
//               (bench/floor-proxy.ts): what any Node proxy costs on these cores
//   pipeline    the gateway answering a fixed JSON itself (key, rate limit, organization,
//               scope, metering) — what any /api/v1 call costs before proxying
//   proxy       GET /api/v1/bench/fixed-upstream through the gateway to the same upstream
//               (the pipeline + catalog match + undici keep-alive pool + units metering)
//   proxy base  the same call through another checkout's gateway (BENCH_BASE_DIR=<its
//               apps/gateway>, e.g. a worktree of main): before/after in one run
//   Hono-only   the same proxy call through a gateway with the node:http fast path off
//               (BENCH_HONO=1: every request through the Hono app — the path of every
//               non-GET proxy call), and the base's too; BENCH_BASELINE=0 skips them
// Saturated throughput, then latency at a fixed rate (BENCH_RATE req/s), each as BENCH_ROUNDS
// rounds (default 3) of every target in turn, medians reported. Each server's CPU
// time per request (from /proc) is printed too: on a shared machine it is what other
// processes distort least. BENCH_CPU_PROF=<dir>: the gateway profiles its saturated proxy run.
//   pnpm --filter @plinth/gateway bench:proxy
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
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
const BASE_DIR = process.env.BENCH_BASE_DIR;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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
  cwd = path.resolve(import.meta.dirname, ".."),
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd,
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

const TICKS_PER_SECOND = 100; // Linux USER_HZ
/** CPU time (µs) a process has used so far, user + system (Linux /proc). */
function cpuMicros(child: ChildProcess): number {
  const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
  // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

interface Run {
  requests: number;
  p50: number;
  p99: number;
  /** autocannon's percentiles are whole milliseconds; the mean is not. */
  mean: number;
  /** CPU µs per request of the process measured (the proxy, or the upstream when direct). */
  cpuPerRequest: number;
}

async function run(
  title: string,
  target: string,
  server: ChildProcess,
  options: { rate?: number } = {},
): Promise<Run> {
  const cpuBefore = cpuMicros(server);
  const result = await autocannon({
    url: target,
    connections: options.rate ? 10 : CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${key}` },
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  const cpuPerRequest = (cpuMicros(server) - cpuBefore) / Math.max(1, result.requests.total);
  const non2xx = result.non2xx + result.errors;
  console.log(
    `  ${title.padEnd(32)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  mean ${result.latency.mean.toFixed(2)} ms  CPU ${cpuPerRequest.toFixed(0)} µs/req  (non-2xx/errors ${non2xx})`,
  );
  return {
    requests: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    cpuPerRequest,
  };
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
const floor = await start("bench/floor-proxy.ts", { BENCH_UPSTREAM: upstream.url });
const gateway = await start("bench/proxy-server.ts", { BENCH_HONO: "0" });
const base = BASE_DIR
  ? await start("bench/proxy-server.ts", { BENCH_HONO: "0" }, path.resolve(BASE_DIR))
  : null;
const hono =
  process.env.BENCH_BASELINE !== "0"
    ? await start("bench/proxy-server.ts", { BENCH_HONO: "1" })
    : null;
const baseHono =
  BASE_DIR && hono
    ? await start("bench/proxy-server.ts", { BENCH_HONO: "1" }, path.resolve(BASE_DIR))
    : null;
const eventsBefore = await db.usageEvent.count({ where: { organizationId: org.id } });
const PROXIED = "/api/v1/bench/fixed-upstream";
interface Target {
  title: string;
  url: string;
  server: ChildProcess;
}
const direct: Target = {
  title: "direct upstream",
  url: `${upstream.url}/fixed`,
  server: upstream.child,
};
const targets: Target[] = [
  direct,
  { title: "floor: bare node:http proxy", url: `${floor.url}${PROXIED}`, server: floor.child },
  ...(base
    ? [{ title: "gateway proxy (base)", url: `${base.url}${PROXIED}`, server: base.child }]
    : []),
  { title: "gateway proxy", url: `${gateway.url}${PROXIED}`, server: gateway.child },
  {
    title: "gateway pipeline (fixed JSON)",
    url: `${gateway.url}/api/v1/bench/fixed`,
    server: gateway.child,
  },
  ...(baseHono
    ? [
        {
          title: "Hono-only proxy (base)",
          url: `${baseHono.url}${PROXIED}`,
          server: baseHono.child,
        },
      ]
    : []),
  ...(hono ? [{ title: "Hono-only proxy", url: `${hono.url}${PROXIED}`, server: hono.child }] : []),
];
const probe = await fetch(`${gateway.url}${PROXIED}`, {
  headers: { authorization: `Bearer ${key}` },
});
console.log(`  first proxied answer: ${probe.status} ${(await probe.text()).slice(0, 120)}`);
for (const target of targets.slice(1)) {
  await run(`warm-up: ${target.title}`, target.url, target.server, { rate: 200 });
}

const ratio = (a: Run, b: Run) => (a.requests / b.requests).toFixed(2);
/** The median of each measure over the rounds (the middle one of an odd count). */
function median(runs: readonly Run[]): Run {
  const middle = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  return {
    requests: middle(runs.map((run) => run.requests)),
    p50: middle(runs.map((run) => run.p50)),
    p99: middle(runs.map((run) => run.p99)),
    mean: middle(runs.map((run) => run.mean)),
    cpuPerRequest: middle(runs.map((run) => run.cpuPerRequest)),
  };
}

/**
 * Every target once per round, round after round (BENCH_ROUNDS): a burst of the other
 * processes on the machine then lands on one round of each, not on all of one target's runs.
 */
async function rounds(options: { rate?: number }): Promise<Map<Target, Run>> {
  const all = new Map<Target, Run[]>(targets.map((target) => [target, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`  round ${round}/${ROUNDS}, load ${os.loadavg()[0]?.toFixed(1)}`);
    for (const target of targets) {
      // BENCH_CPU_PROF=<dir>: the gateway profiles its first saturated proxy run only.
      const profiled =
        profiling && round === 1 && !options.rate && target.title === "gateway proxy";
      if (profiled) await fetch(`${gateway.url}/__bench/profile`, { method: "POST" });
      all.get(target)!.push(await run(target.title, target.url, target.server, options));
      if (profiled) {
        const file = await (
          await fetch(`${gateway.url}/__bench/profile`, { method: "DELETE" })
        ).text();
        console.log(`  CPU profile of the proxy run: ${file}`);
      }
    }
  }
  console.log(`  medians of ${ROUNDS} rounds:`);
  const medians = new Map<Target, Run>();
  for (const [target, runs] of all) {
    const middle = median(runs);
    medians.set(target, middle);
    console.log(
      `  ${target.title.padEnd(32)} ${String(Math.round(middle.requests)).padStart(7)} req/s  p50 ${middle.p50} ms  p99 ${middle.p99} ms  mean ${middle.mean.toFixed(2)} ms  CPU ${middle.cpuPerRequest.toFixed(0)} µs/req`,
    );
  }
  return medians;
}

const profiling = Boolean(process.env.BENCH_CPU_PROF);
console.log(`saturated: ${CONNECTIONS} connections, ${SECONDS} s each`);
const saturated = await rounds({});
const directMax = saturated.get(direct)!;
console.log(
  `  throughput / direct: ${targets
    .slice(1)
    .map((target) => `${target.title} ${ratio(saturated.get(target)!, directMax)}`)
    .join(", ")}`,
);
const floorMax = saturated.get(targets[1]!)!;
console.log(
  `  throughput / floor: ${targets
    .slice(2)
    .map((target) => `${target.title} ${ratio(saturated.get(target)!, floorMax)}`)
    .join(", ")}`,
);

console.log(`fixed rate: ${RATE} req/s, 10 connections, ${SECONDS} s each`);
const fixed = await rounds({ rate: RATE });
const directRate = fixed.get(direct)!;
console.log(
  `  added vs direct (p50 / p99 / mean ms): ${targets
    .slice(1)
    .map((target) => {
      const measured = fixed.get(target)!;
      return `${target.title} ${measured.p50 - directRate.p50} / ${measured.p99 - directRate.p99} / ${(measured.mean - directRate.mean).toFixed(2)}`;
    })
    .join(", ")}`,
);
for (const child of [
  hono?.child,
  baseHono?.child,
  base?.child,
  gateway.child,
  floor.child,
  upstream.child,
]) {
  if (child) await stop(child);
}
const events = await db.usageEvent.count({
  where: { organizationId: org.id, meter: "api.units" },
});
console.log(
  `  api.units events written for the proxied runs (all gateways): ${events - eventsBefore}`,
);
console.log(
  `  load at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
await db.$disconnect();
await pg?.stop();
