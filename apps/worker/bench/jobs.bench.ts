// Throughput and latency of Plinth's job layer vs raw graphile-worker.
//   pnpm --filter @plinth/worker bench        (BENCH_JOBS, BENCH_CONCURRENCY, DATABASE_URL optional)
// Without DATABASE_URL an embedded PostgreSQL is started in a temporary directory.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createPrismaClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { databaseUrl as urlForDatabase } from "@plinth/db/testing";
import { defineJob, enqueueSystem, installJobSchema } from "@plinth/jobs";
import { Logger, makeWorkerUtils, run, type Runner } from "graphile-worker";
import { z } from "zod";
import { createLogger, type LogLevel } from "@plinth/core/logger";
import { registerJob } from "../src/handlers/index.ts";
import { startWorker } from "../src/worker.ts";

const N = Number(process.env.BENCH_JOBS ?? 2000);
const LATENCY_N = Number(process.env.BENCH_LATENCY_JOBS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
/** Rounds of (raw defaults, raw batched, plinth), interleaved so machine load hits all alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const noop = defineJob({
  name: "bench.noop",
  payload: z.object({ i: z.number().int(), t: z.number() }),
});

interface Result {
  variant: string;
  enqueuePerSec: number;
  processPerSec: number;
  p50: number;
  p99: number;
}

interface Harness {
  /** Enqueue one job carrying `t` (the enqueue call's start time). */
  enqueue(i: number, t: number): Promise<void>;
  /** Start the worker; `onStart(payload)` is called when a handler starts. */
  start(onStart: (payload: { i: number; t: number }) => void): Promise<void>;
  stop(): Promise<void>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(variant: string, harness: Harness): Promise<Result> {
  // Phase 1: enqueue N jobs while no worker runs, then drain them.
  const enqueueStart = performance.now();
  for (let i = 0; i < N; i++) await harness.enqueue(i, 0);
  const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

  let drained = 0;
  let first = 0;
  let last = 0;
  let latencyPhase = false;
  const latencies: number[] = [];
  let allDone!: () => void;
  let done = new Promise<void>((resolve) => (allDone = resolve));
  await harness.start((payload) => {
    const now = performance.now();
    if (!latencyPhase) {
      if (drained === 0) first = now;
      last = now;
      if (++drained === N) allDone();
    } else {
      latencies.push(now - payload.t);
      if (latencies.length === LATENCY_N) allDone();
    }
  });
  await done;
  const processSeconds = (last - first) / 1000;

  // Phase 2: with the worker idle and listening, enqueue one job at a time (every 2 ms) and
  // measure enqueue call → handler start.
  latencyPhase = true;
  done = new Promise<void>((resolve) => (allDone = resolve));
  for (let i = 0; i < LATENCY_N; i++) {
    await harness.enqueue(i, performance.now());
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await done;
  await harness.stop();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    variant,
    enqueuePerSec: N / enqueueSeconds,
    processPerSec: (N - 1) / processSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

function plinthHarness(url: string): Harness {
  const prisma = createPrismaClient(url, { role: "system", poolMax: 2 });
  let stop = async () => {};
  return {
    enqueue: async (i, t) => {
      await enqueueSystem(prisma, noop, { i, t });
    },
    start: async (onStart) => {
      const worker = await startWorker({
        databaseUrl: url,
        concurrency: CONCURRENCY,
        cron: null,
        // Logs are formatted as in production (pino, redaction), then dropped (not to flood
        // the terminal).
        logger: createLogger({
          level: (process.env.BENCH_LOG_LEVEL as LogLevel | undefined) ?? "info",
          destination: { write: () => {} },
        }),
        extraJobs: [registerJob(noop, (payload) => Promise.resolve(onStart(payload)))],
      });
      stop = () => worker.stop();
    },
    stop: async () => {
      await stop();
      await prisma.$disconnect();
    },
  };
}

function rawHarness(url: string, batching: boolean): Harness {
  const utilsPromise = makeWorkerUtils({
    connectionString: url,
    logger: new Logger(() => () => {}),
  });
  let runner: Runner | undefined;
  return {
    enqueue: async (i, t) => {
      await (await utilsPromise).addJob("noop", { i, t });
    },
    start: async (onStart) => {
      runner = await run({
        connectionString: url,
        concurrency: CONCURRENCY,
        maxPoolSize: CONCURRENCY + 2,
        noHandleSignals: true,
        logger: new Logger(() => () => {}),
        taskList: {
          noop: (payload) => Promise.resolve(onStart(payload as { i: number; t: number })),
        },
        parsedCronItems: [],
        ...(batching
          ? { preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } } }
          : {}),
      });
    },
    stop: async () => {
      await runner?.stop();
      await (await utilsPromise).release();
    },
  };
}

async function main() {
  let serverUrl: string;
  let cleanup = async () => {};
  if (process.env.DATABASE_URL) {
    serverUrl = urlForDatabase(process.env.DATABASE_URL, "postgres");
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-pg-"));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    serverUrl = server.serverUrl;
    cleanup = async () => {
      // Stopping the server terminates any connection a library still keeps idle (57P01,
      // "terminating connection due to administrator command"); that is expected here.
      process.on("uncaughtException", (error: Error & { code?: string }) => {
        if (error.code !== "57P01") throw error;
      });
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const fresh = async () => {
    const name = `plinth_bench_${randomBytes(4).toString("hex")}`;
    await ensureDatabase(serverUrl, name);
    const url = urlForDatabase(serverUrl, name);
    await installJobSchema(url);
    return url;
  };
  try {
    const rounds: Result[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push([
        await measure("raw graphile-worker (defaults)", rawHarness(await fresh(), false)),
        await measure("raw graphile-worker (batched completion)", rawHarness(await fresh(), true)),
        await measure("plinth (defineJob + enqueue + zod handler)", plinthHarness(await fresh())),
      ]);
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (x: number, digits = 0) => x.toFixed(digits).padStart(10);
    console.log(
      `\n${N} no-op jobs (latency: ${LATENCY_N} jobs), concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds, ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"}, Node ${process.version}, ${os.cpus().length} cores\n`,
    );
    console.log(
      `${pad("variant (median of rounds)", 44)}${"enqueue/s".padStart(10)}${"process/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}`,
    );
    for (const [index, first] of (rounds[0] ?? []).entries()) {
      const of = (pick: (r: Result) => number) =>
        median(rounds.map((round) => pick(round[index]!)));
      console.log(
        `${pad(first.variant, 44)}${num(of((r) => r.enqueuePerSec))}${num(of((r) => r.processPerSec))}${num(
          of((r) => r.p50),
          2,
        )}${num(
          of((r) => r.p99),
          2,
        )}`,
      );
    }
    // Plinth runs graphile-worker with batched completion, so that is its like-for-like raw.
    const ratios = rounds.map((round) => round[2]!.processPerSec / round[1]!.processPerSec);
    console.log(
      `\nplinth / raw (batched) throughput per round: ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(", ")}; median ${(median(ratios) * 100).toFixed(0)}% (target ≥ 80%)`,
    );
  } finally {
    await cleanup();
  }
}

await main();
