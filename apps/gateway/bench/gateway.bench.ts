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
// BENCH_FIXED_ONLY=1: the pipeline without the projects route (e.g. to profile the pipeline).
const fixedOnly = process.env.BENCH_FIXED_ONLY === "1";
// BENCH_ROUNDS (default 2): bare, fast path and Hono-only alternate, the order reversed every
// other round, so a change of the machine's load in the middle biases none of them; medians.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const baseline = process.env.BENCH_BASELINE !== "0";

const bare = await startServer("bare");
const gateway = await startServer("gateway");
const hono = baseline ? await startServer("hono") : null;
const eventsBefore = await db.usageEvent.count({ where: { organizationId: org.id } });
await run("warm-up", `${gateway.url}/api/v1/bench/fixed`, { rate: 200 });
if (hono) await run("warm-up (Hono only)", `${hono.url}/api/v1/bench/fixed`, { rate: 200 });

type Result = Awaited<ReturnType<typeof run>>;
const targets = [
  { name: "bare", title: "bare node:http (fixed JSON)", url: bare.url, server: bare.child },
  {
    name: "fast",
    title: "gateway pipeline (fixed JSON)",
    url: `${gateway.url}/api/v1/bench/fixed`,
    server: gateway.child,
  },
  ...(hono
    ? [
        {
          name: "hono",
          title: "Hono-only pipeline (fixed JSON)",
          url: `${hono.url}/api/v1/bench/fixed`,
          server: hono.child,
        },
      ]
    : []),
];
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2
    ? (sorted[Math.floor(middle)] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

/** Every target once per round, alternating order; the results by target name. */
async function rounds(rate?: number) {
  const results = new Map<string, Result[]>(targets.map((target) => [target.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const result = await run(`${target.title} #${round + 1}`, target.url, {
        server: target.server,
        ...(rate ? { rate } : {}),
      });
      results.get(target.name)?.push(result);
    }
  }
  const of = (name: string, pick: (result: Result) => number) =>
    median((results.get(name) ?? []).map(pick));
  return {
    rps: (name: string) => of(name, (result) => result.requests.average),
    cpu: (name: string) => of(name, (result) => result.cpuPerRequest),
    p50: (name: string) => of(name, (result) => result.latency.p50),
    p99: (name: string) => of(name, (result) => result.latency.p99),
  };
}

const saturated = await rounds();
const projectsMax = fixedOnly
  ? null
  : await run("gateway GET /api/v1/projects", `${gateway.url}/api/v1/projects`, {
      server: gateway.child,
    });
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(
  `  medians: bare ${Math.round(saturated.rps("bare"))} req/s (${saturated.cpu("bare").toFixed(0)} µs/req), ` +
    `fast path ${Math.round(saturated.rps("fast"))} (${saturated.cpu("fast").toFixed(0)} µs/req)` +
    (hono
      ? `, Hono-only ${Math.round(saturated.rps("hono"))} (${saturated.cpu("hono").toFixed(0)} µs/req)`
      : ""),
);
console.log(
  `  ratio pipeline/bare ${ratio(saturated.rps("fast"), saturated.rps("bare"))}` +
    (projectsMax
      ? `, projects/bare ${ratio(projectsMax.requests.average, saturated.rps("bare"))}`
      : "") +
    (hono
      ? `, Hono-only/bare ${ratio(saturated.rps("hono"), saturated.rps("bare"))}, fast/Hono-only ${ratio(saturated.rps("fast"), saturated.rps("hono"))}`
      : ""),
);
console.log(
  `  server CPU per request, bare/pipeline ${ratio(saturated.cpu("bare"), saturated.cpu("fast"))}` +
    (hono ? `, bare/Hono-only ${ratio(saturated.cpu("bare"), saturated.cpu("hono"))}` : "") +
    " (the throughput ratio a machine with nothing else running would approach, server-bound)",
);
console.log(`fixed rate: ${RATE} req/s, 10 connections, ${SECONDS} s each`);
const fixed = await rounds(RATE);
if (!fixedOnly) {
  await run("gateway GET /api/v1/projects", `${gateway.url}/api/v1/projects`, {
    rate: RATE,
    server: gateway.child,
  });
}
const added = (name: string) =>
  `p50 ${(fixed.p50(name) - fixed.p50("bare")).toFixed(2)} ms, p99 ${(fixed.p99(name) - fixed.p99("bare")).toFixed(2)} ms`;
console.log(
  `  added over bare (medians): fast path ${added("fast")}` +
    (hono ? `; Hono-only ${added("hono")}` : ""),
);
if (hono) await stop(hono.child);
await stop(gateway.child);
await stop(bare.child);
const events = (await db.usageEvent.count({ where: { organizationId: org.id } })) - eventsBefore;
console.log(`  usage events written for the gateway runs: ${events}`);
await db.$disconnect();
await pg?.stop();
