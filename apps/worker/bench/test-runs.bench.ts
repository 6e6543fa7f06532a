// Test-automation throughput on the real worker (graphile-worker runner, the run engine,
// test-automation's run kind, @plinth/test-engine with its shared keep-alive undici Agent):
//   1. HTTP steps per second: one worker executes a suite of BENCH_TESTS tests × BENCH_STEPS
//      GET steps (a status and a JSON-path assertion each) against a loopback target.
//   2. Queue-to-first-step latency: BENCH_RUNS one-step runs, one after the other; from the
//      commit of the run + job to the target receiving the first request.
//   pnpm --filter @plinth/worker bench:tests   (DATABASE_URL optional)
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createLogger } from "@plinth/core/logger";
import { createPrismaClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { createRun, installJobSchema } from "@plinth/jobs";
import { startWorker } from "../src/worker.ts";

const TESTS = Number(process.env.BENCH_TESTS ?? 100);
const STEPS = Number(process.env.BENCH_STEPS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// The target: /pass answers a small JSON document; /first records when it was reached.
let firstHit: (() => void) | null = null;
const body = JSON.stringify({ ok: true, id: 42 });
const target = createServer((request, response) => {
  if (request.url?.startsWith("/first")) firstHit?.();
  response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  response.end(body);
});
target.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-tests-"));
const pg = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? pg!.urlFor("bench_tests");
if (pg) await ensureDatabase(pg.serverUrl, "bench_tests");
await migrate(url);
await installJobSchema(url);
const prisma = createPrismaClient(url, { role: "system" });
const worker = await startWorker({
  databaseUrl: url,
  concurrency: 4,
  cron: null,
  logger: createLogger({ level: "warn" }),
});

const org = await prisma.organization.create({
  data: { name: "Bench", slug: `bench-${Date.now()}` },
});
await prisma.subscription.create({
  data: { organizationId: org.id, planKey: "enterprise", status: "ACTIVE" },
});
const project = await prisma.project.create({ data: { organizationId: org.id, name: "Bench" } });
const env = await prisma.testEnvironment.create({
  data: { organizationId: org.id, projectId: project.id, name: "Local", baseUrl: targetUrl },
});

async function suiteOf(name: string, tests: number, steps: number, pathname: string) {
  const suite = await prisma.testSuite.create({
    data: { organizationId: org.id, projectId: project.id, name, concurrency: CONCURRENCY },
  });
  for (let t = 0; t < tests; t++) {
    const row = await prisma.testCase.create({
      data: {
        organizationId: org.id,
        suiteId: suite.id,
        name: `t${t}`,
        kind: "HTTP",
        definition: {},
        position: t,
      },
    });
    await prisma.testCase.update({
      where: { id: row.id },
      data: {
        definition: {
          kind: "http",
          id: row.id,
          name: `t${t}`,
          steps: Array.from({ length: steps }, () => ({
            method: "GET",
            url: pathname,
            assertions: [
              { type: "status", equals: 200 },
              { type: "jsonPath", path: "$.id", expect: { operator: "equals", value: 42 } },
            ],
          })),
        },
      },
    });
  }
  return suite.id;
}

async function startRun(suiteId: string) {
  return prisma.$transaction(async (tx) => {
    const run = await createRun(tx, { organizationId: org.id, kind: "test-run" });
    return tx.testRun.create({
      data: {
        organizationId: org.id,
        projectId: project.id,
        suiteId,
        environmentId: env.id,
        runId: run.id,
        trigger: "CI",
        suiteName: "bench",
        environmentName: "Local",
      },
    });
  });
}

async function waitDone(id: string) {
  for (;;) {
    const run = await prisma.testRun.findUniqueOrThrow({ where: { id } });
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// 1. Throughput (one warm-up run first: the Agent's connections and the JIT).
const big = await suiteOf("throughput", TESTS, STEPS, "/pass");
await waitDone((await startRun(big)).id);
const run = await waitDone((await startRun(big)).id);
const steps = TESTS * STEPS;
const seconds = (run.finishedAt!.getTime() - run.startedAt!.getTime()) / 1000;
console.log(
  `HTTP steps: ${steps} in ${seconds.toFixed(2)} s = ${Math.round(steps / seconds)} steps/s (run ${run.status}, test concurrency ${CONCURRENCY}, 1 worker)`,
);

// 2. Queue-to-first-step.
const small = await suiteOf("latency", 1, 1, "/first");
const latencies: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const reached = new Promise<number>((resolve) => (firstHit = () => resolve(performance.now())));
  const queuedAt = performance.now();
  const testRun = await startRun(small);
  latencies.push((await reached) - queuedAt);
  await waitDone(testRun.id);
}
latencies.sort((a, b) => a - b);
console.log(
  `queue → first step: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms (${RUNS} runs)`,
);

await worker.stop();
await prisma.$disconnect();
target.close();
await pg?.stop();
