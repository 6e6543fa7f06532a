// AI tasks through the real path: POST /api/v1/ai/tasks on the gateway (key, rate limit,
// idempotency, quota, the service: task row + job in one transaction) → graphile-worker (the
// real runner, Plinth's handler) → the `openai` SDK → a local OpenAI-compatible server that
// answers after LATENCY_MS (default 50) and streams 5 tokens → chunk rows → SUCCEEDED.
//   1. POST → first streamed token (a chunk row visible to a reader), sequential, p50/p95.
//   2. Throughput: BENCH_TASKS (default 2000) POSTed BENCH_POSTERS (8) at a time, the worker at
//      BENCH_CONCURRENCY (default 32): tasks/s from the first POST to the last SUCCEEDED, and
//      the worker's own rate (first start → last finish).
//   3. What the drain cost per task: SQL statements this process sent (by kind), transactions
//      PostgreSQL committed, CPU of this process (the worker), PostgreSQL and the provider.
//   BENCH_PROFILE=file.cpuprofile: a CPU profile of this process during the drain.
//   BENCH_LOCAL_QUEUE, BENCH_COMPLETE_BATCH_MS: graphile-worker's local queue and completion
//   batching for the worker (default off / same tick, as WORKER_* defaults).
//   pnpm tsx scripts/ai-tasks-bench.ts       (DATABASE_URL optional: embedded PostgreSQL)
import { fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { insertApiKey } from "@plinth/api-keys";
import { createLogger } from "@plinth/core/logger";
import { createDatabase, systemClient } from "@plinth/db";
import { systemAudit } from "@plinth/core/audit";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { createOrganizationWithOwner } from "@plinth/platform";
import { productRuntime } from "@plinth/product";
import { productRoutes } from "@plinth/product/http";
import { createGatewayRuntime } from "../apps/gateway/src/runtime.ts";
import { startWorker } from "../apps/worker/src/worker.ts";
import postgres from "pg";
import { z } from "zod";
import { countStatements, cpuSecondsOf, ownCpuSeconds, postmasterOf } from "./bench-usage.ts";

const LATENCY_MS = Number(process.env.LATENCY_MS ?? 50);
const TASKS = Number(process.env.BENCH_TASKS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** graphile-worker's local queue size (0: off) and completion batching delay for the drain. */
const LOCAL_QUEUE = Number(process.env.BENCH_LOCAL_QUEUE ?? 0);
const COMPLETE_BATCH_MS = Number(process.env.BENCH_COMPLETE_BATCH_MS ?? 0);
/** Write a CPU profile of this process during the drain here (.cpuprofile, DevTools). */
const PROFILE = process.env.BENCH_PROFILE;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 100);
/** POSTs in flight (the gateway's pool is small: more only queue for a connection). */
const POSTERS = Number(process.env.BENCH_POSTERS ?? 4);
const TOKENS = ["Bench", " tokens", " stream", " in", " order."];
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ─── The provider: OpenAI-compatible SSE after LATENCY_MS, in its own process ──────────────
const providerProcess = fork(fileURLToPath(new URL("./bench-openai-server.ts", import.meta.url)), {
  env: { ...process.env, LATENCY_MS: String(LATENCY_MS), BENCH_TOKENS: TOKENS.join("|") },
});
const providerPort = await new Promise<number>((resolve, reject) => {
  providerProcess.once("message", (message) =>
    resolve(z.object({ port: z.number().int() }).parse(message).port),
  );
  providerProcess.once("exit", (code) => reject(new Error(`provider server exited (${code})`)));
});
process.env.OPENAI_API_KEY = "sk-bench-platform-key-0000";
process.env.OPENAI_BASE_URL = `http://127.0.0.1:${providerPort}/v1`;
process.env.AI_MAX_RETRIES = "0";
const statements = countStatements();

// ─── Database, organization, key, template ──────────────────────────────────────────────
const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-ai-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_ai_tasks");
if (pg) await ensureDatabase(pg.serverUrl, "bench_ai_tasks");
await migrate(url);
await installJobSchema(url);
const db = createDatabase(url);
// The bench's own reads (progress, counters) go through this client: its statements are not
// counted as the worker's.
const progress = new postgres.Client({ connectionString: url });
await progress.connect();
statements.ignore(progress);
const local = pg !== null || /@(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(url);
const backend = await progress.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
const postmaster = local && backend.rows[0] ? postmasterOf(backend.rows[0].pid) : null;
const system = systemClient(db, "bench: fixtures and progress reads");
const product = productRuntime("ai-automation");
const owner = await system.user.create({
  data: { email: `bench-${Date.now()}@example.test`, name: "Bench", emailVerified: new Date() },
});
const organization = await createOrganizationWithOwner(
  db.app,
  product.catalog,
  systemAudit("bench"),
  { name: "Bench AI", ownerId: owner.id, now: new Date() },
);
// Scale: task overage is metered, so the quota never refuses.
await system.subscription.update({
  where: { organizationId: organization.id },
  data: { planKey: "scale", status: "ACTIVE" },
});
const { key } = await insertApiKey(system, {
  organizationId: organization.id,
  name: "bench",
  scopes: ["ai:read", "ai:write"],
  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
});
const template = await system.aiTaskTemplate.create({
  data: {
    organizationId: organization.id,
    name: "Bench",
    provider: "openai",
    model: "gpt-4o-mini",
    promptTemplate: "Say {{what}}",
    variables: [{ name: "what", type: "string", required: true }],
  },
});

const silent = createLogger({ level: "warn" });
const gateway = await createGatewayRuntime({
  database: db,
  databaseUrl: url,
  product,
  routes: productRoutes(product),
  logger: silent,
  ipRateLimit: 10_000_000,
  flushIntervalMs: 200,
});
const workerOptions = {
  databaseUrl: url,
  concurrency: CONCURRENCY,
  localQueueSize: LOCAL_QUEUE,
  completeJobBatchDelayMs: COMPLETE_BATCH_MS,
  cron: null,
  product,
  logger: silent,
};
let worker = await startWorker(workerOptions);

async function post(i: number): Promise<string> {
  const response = await gateway.app.request("/api/v1/ai/tasks", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ templateId: template.id, input: { what: `hello ${i}` } }),
  });
  if (response.status !== 202)
    throw new Error(`POST answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

try {
  // ─── 1. POST → first token ────────────────────────────────────────────────────────────
  const firstToken: number[] = [];
  const accepted: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const started = performance.now();
    const id = await post(i);
    accepted.push(performance.now() - started);
    for (;;) {
      const rows = await progress.query(
        "SELECT 1 AS one FROM ai_task_chunks WHERE task_id = $1 LIMIT 1",
        [id],
      );
      if (rows.rowCount) break;
      await sleep(1);
    }
    firstToken.push(performance.now() - started);
  }
  firstToken.sort((a, b) => a - b);
  accepted.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  console.log(
    [
      `AI tasks bench: provider latency ${LATENCY_MS} ms, ${TOKENS.length} tokens per answer, worker concurrency ${CONCURRENCY} (local queue ${LOCAL_QUEUE || "off"}, completion batch delay ${COMPLETE_BATCH_MS} ms), ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(1)}`,
      `POST → 202 (gateway + service): p50 ${f(percentile(accepted, 50))} ms, p95 ${f(percentile(accepted, 95))} ms (${LATENCY_SAMPLES} sequential)`,
      `POST → first streamed token stored: p50 ${f(percentile(firstToken, 50))} ms, p95 ${f(percentile(firstToken, 95))} ms (includes the ${LATENCY_MS} ms provider latency)`,
    ].join("\n"),
  );
  await sleep(500);

  // ─── 2. Throughput ────────────────────────────────────────────────────────────────────
  // The backlog is queued with the worker stopped, then one worker drains it: its rate is
  // the worker's own, not the rate the gateway accepts POSTs at (measured on its own).
  await worker.stop();
  const before = await system.aiTask.count({ where: { status: "SUCCEEDED" } });
  const postStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: POSTERS }, async () => {
      while (next < TASKS) await post(LATENCY_SAMPLES + next++);
    }),
  );
  const posted = performance.now();
  worker = await startWorker(workerOptions);
  const started = performance.now();
  // The drain's cost: statements this process sent (the worker's: the gateway is idle and the
  // bench reads through `progress`), transactions PostgreSQL committed, CPU per process.
  const commits = async () =>
    Number(
      (
        await progress.query<{ commits: string }>(
          "SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datname = current_database()",
        )
      ).rows[0]?.commits ?? NaN,
    );
  const cpu = () => ({
    bench: ownCpuSeconds(),
    provider: providerProcess.pid === undefined ? null : cpuSecondsOf(providerProcess.pid),
    postgres: postmaster === null ? null : cpuSecondsOf(postmaster, true),
  });
  const profiler = PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const statementsBefore = statements.snapshot();
  const cpuBefore = cpu();
  const commitsBefore = await commits();
  let polls = 0;
  for (;;) {
    polls += 1;
    const done = Number(
      (
        await progress.query<{ done: string }>(
          "SELECT count(*)::text AS done FROM ai_tasks WHERE status IN ('SUCCEEDED', 'FAILED')",
        )
      ).rows[0]?.done ?? 0,
    );
    if (done - before >= TASKS) break;
    await sleep(20);
  }
  const finished = performance.now();
  const statementsAfter = statements.snapshot();
  if (profiler && PROFILE) {
    const { profile } = await profiler.post("Profiler.stop");
    await writeFile(PROFILE, JSON.stringify(profile));
    profiler.disconnect();
  }
  const cpuAfter = cpu();
  // pg_stat_database is flushed at most once a second by each backend.
  await sleep(1_100);
  const committed = (await commits()) - commitsBefore - polls - 1;
  const failed = await system.aiTask.count({ where: { status: "FAILED" } });
  const span = await system.$queryRaw<{ first: Date; last: Date }[]>`
    SELECT min(started_at) AS first, max(finished_at) AS last FROM (
      SELECT started_at, finished_at FROM ai_tasks ORDER BY created_at DESC LIMIT ${TASKS}) t`;
  const workerSeconds = ((span[0]?.last.getTime() ?? 0) - (span[0]?.first.getTime() ?? 0)) / 1000;
  console.log(
    [
      `POST /ai/tasks: ${TASKS} accepted (${POSTERS} in flight) in ${f((posted - postStarted) / 1000)} s → ${f(TASKS / ((posted - postStarted) / 1000))}/s`,
      `load average ${os.loadavg()[0]?.toFixed(1)}; worker throughput: the ${TASKS}-task backlog drained in ${f((finished - started) / 1000)} s → ${f(TASKS / ((finished - started) / 1000))} tasks/s (worker start → all done); ${f(TASKS / workerSeconds)} tasks/s first start → last finish; failed: ${failed}`,
    ].join("\n"),
  );
  const perTask = (n: number) => (n / TASKS).toFixed(2);
  const kinds = (["other", "transaction control", "graphile-worker"] as const)
    .map((kind) => `${kind} ${perTask(statementsAfter[kind] - statementsBefore[kind])}`)
    .join(", ");
  const cpuMs = (key: keyof ReturnType<typeof cpu>) => {
    const from = cpuBefore[key];
    const to = cpuAfter[key];
    return from === null || to === null ? "n/a" : `${(((to - from) * 1000) / TASKS).toFixed(2)} ms`;
  };
  console.log(
    [
      `per task during the drain: ${perTask(statementsAfter.total - statementsBefore.total)} SQL statements sent (${kinds}); ${perTask(committed)} transactions committed (pg_stat_database)`,
      `CPU per task: bench process (worker; gateway idle) ${cpuMs("bench")}, PostgreSQL ${cpuMs("postgres")}, provider server ${cpuMs("provider")}; drain wall time ${((finished - started) / TASKS).toFixed(2)} ms per task`,
    ].join("\n"),
  );
} finally {
  await worker.stop();
  await gateway.close();
  await db.disconnect();
  // Every pool is closed; their backends exit a moment later. PostgreSQL is stopped only once
  // none is left: a client still connected then gets "terminating connection due to
  // administrator command" as an 'error' event, uncaught — the teardown crash after the numbers.
  for (let waited = 0; ; waited += 50) {
    const open = await progress.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    const left = open.rows[0]?.n ?? 0;
    if (left === 0) break;
    if (waited >= 5_000) {
      console.log(`teardown: ${left} connections still open after 5 s`);
      break;
    }
    await sleep(50);
  }
  await progress.end();
  providerProcess.disconnect();
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
