// startWorker: graphile-worker running every core job and the enabled modules' jobs of the
// product (@plinth/product/worker), the cron schedule of core + those modules, the unknown-job
// sweeper, JSON logs (one child logger per job) and the health endpoint. Used by main.ts and
// the tests.
import type { Logger } from "@plinth/core/logger";
import { rootLogger } from "@plinth/core/root-logger";
import { createPrismaClient, type PrismaClient } from "@plinth/db";
import { type EmailTransport } from "@plinth/email";
import {
  demoRunKind,
  InvalidJobPayloadError,
  failUnknownJobs,
  installJobSchema,
  recoverStaleRuns,
} from "@plinth/jobs";
import type { CronDeclaration, ProductRuntime } from "@plinth/platform";
import type { DataExportConfig } from "@plinth/platform/data-exports";
import { activeProduct, productWorker } from "@plinth/product/worker";
import {
  parseCronItems,
  run,
  type CronItem,
  type Job,
  type Runner,
  type Task,
  type TaskList,
} from "graphile-worker";
import {
  registeredJobs,
  type HandlerMap,
  type RegisteredJob,
  type WorkerBillingConfig,
  type WorkerUsageConfig,
} from "./handlers/index.ts";
import { startHealthServer } from "./health.ts";
import { healthReport, type HealthReport } from "./health.ts";
import { graphileLogger } from "./graphile-logger.ts";
import { createWorkerMetrics, startMetricsServer, type WorkerMetrics } from "./metrics.ts";

/**
 * The cron schedule (UTC) of core and the product's modules (their `cron` declarations).
 * Given to graphile-worker as parsed cron items rather than a crontab string: its crontab
 * syntax does not allow dots in task names ("email.send").
 */
export function cronSchedule(cron: readonly CronDeclaration[]): CronItem[] {
  return cron.map((entry) => ({
    task: entry.job.name,
    match: entry.match,
    options: {
      maxAttempts: entry.maxAttempts ?? 3,
      backfillPeriod: 0,
      // The job's own queue (one at a time), as enqueue() would use.
      ...(entry.job.queue ? { queueName: entry.job.queue } : {}),
    },
  }));
}

export interface StartWorkerOptions {
  databaseUrl: string;
  concurrency?: number;
  /** Port for /healthz; 0 picks a free port; false starts no server. Default: false. */
  healthPort?: number | false;
  /** Interface for /healthz. Default: every interface (orchestrators probe from outside). */
  healthHost?: string | undefined;
  /** Port for GET /metrics (Prometheus); 0 picks a free port; false starts no server. Default: false. */
  metricsPort?: number | false;
  /** Interface for /metrics. Default: 127.0.0.1 (loopback only). */
  metricsHost?: string | undefined;
  /** How long a graceful stop waits for running jobs before forcing them to fail (and retry). */
  shutdownTimeoutMs?: number;
  /** How often to look for jobs scheduled in the future (retries); new jobs arrive by LISTEN. */
  pollIntervalMs?: number;
  /**
   * graphile-worker's local queue: fetch (and lock) this many jobs per query and hand them to
   * the concurrency slots from memory. 0 (default): off, one fetch per job. Jobs of a named
   * queue then no longer run one at a time (graphile-worker 0.17.3, issue #621), jobs locked
   * in it wait for the 4-hour lock expiry after a crash, and a job added with the key of one
   * it holds runs as a new job. See docs/architecture.md, "Worker throughput settings".
   */
  localQueueSize?: number;
  /**
   * How long a finished job's completion (failure) waits to be recorded together with others
   * in one statement. Default 0: batched within the same tick only. Longer: fewer statements,
   * and a crash within the delay runs the finished jobs again.
   */
  completeJobBatchDelayMs?: number;
  failJobBatchDelayMs?: number;
  /** The product whose modules' jobs, cron and run kinds run (default: PLINTH_PRODUCT's). */
  product?: ProductRuntime;
  /** Cron items; null disables cron. Default: the product's schedule (cronSchedule). */
  cron?: CronItem[] | null;
  /** Replace handlers of registry jobs (tests). */
  handlers?: Partial<HandlerMap>;
  /** Extra jobs outside the registry (tests, benchmarks). */
  extraJobs?: RegisteredJob[];
  /** Jobs with a name no handler knows fail permanently once this old (rolling deploys). */
  unknownJobGraceMs?: number;
  unknownJobSweepIntervalMs?: number;
  /** A RUNNING run without a heartbeat for this long counts as lost (recoverStaleRuns). */
  staleRunAfterMs?: number;
  /** Run engine timings: heartbeat and the wait for a free concurrency slot. */
  runEngine?: { heartbeatMs?: number; slotRetryMs?: number };
  /** Data export store and link settings (default: @plinth/platform's, from the environment). */
  dataExports?: DataExportConfig;
  /** Stale-lock recovery scan interval (graphile-worker default 8–10 min). */
  resetLockedIntervalMs?: number;
  emailTransport?: EmailTransport;
  appUrl?: string;
  /** Default: local billing provider (no Stripe), 7 days' grace. */
  billing?: Partial<WorkerBillingConfig>;
  /** Default: 13 months of raw usage events kept (USAGE_EVENTS_RETENTION_MONTHS). */
  usage?: Partial<WorkerUsageConfig>;
  /** The process's logger (default: rootLogger(), level from LOG_LEVEL); tests capture lines. */
  logger?: Logger;
}

export interface StartedWorker {
  runner: Runner;
  prisma: PrismaClient;
  log: Logger;
  healthPort: number | null;
  metricsPort: number | null;
  /** Job counts, durations and queue gauges (served on metricsPort when started). */
  metrics: WorkerMetrics;
  health(): Promise<HealthReport>;
  /** Graceful stop: no new jobs, running ones finish (bounded by shutdownTimeoutMs). */
  stop(reason?: string): Promise<void>;
  /** Resolves when the worker has stopped (by stop() or a fatal error). */
  stopped: Promise<void>;
}

function jobFields(job: Job) {
  return {
    job: job.task_identifier,
    jobId: String(job.id),
    attempt: job.attempts,
    maxAttempts: job.max_attempts,
  };
}

export async function startWorker(options: StartWorkerOptions): Promise<StartedWorker> {
  const concurrency = options.concurrency ?? 5;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
  const log = options.logger ?? rootLogger();
  const prisma = createPrismaClient(options.databaseUrl, {
    role: "system",
    poolMax: Math.min(concurrency + 2, 20),
  });
  const appUrl = options.appUrl ?? "http://localhost:3000";
  const billing: WorkerBillingConfig = { stripe: null, pastDueGraceDays: 7, ...options.billing };
  const usage: WorkerUsageConfig = { retentionMonths: 13, ...options.usage };
  const product = options.product ?? activeProduct();
  const modules = productWorker(product);
  const runKinds = { demo: demoRunKind, ...modules.runKinds };

  await installJobSchema(options.databaseUrl);

  const registered = [
    ...registeredJobs(options.handlers),
    ...modules.jobs,
    ...(options.extraJobs ?? []),
  ];
  const taskList: TaskList = {};
  for (const entry of registered) {
    if (taskList[entry.definition.name])
      throw new Error(`Job "${entry.definition.name}" is registered twice.`);
    taskList[entry.definition.name] = toTask(entry);
  }
  const knownNames = Object.keys(taskList);

  function toTask(entry: RegisteredJob): Task {
    return async (rawPayload, helpers) => {
      const job = helpers.job;
      let execute: ReturnType<RegisteredJob["prepare"]>;
      try {
        execute = entry.prepare(rawPayload);
      } catch (error) {
        if (!(error instanceof InvalidJobPayloadError)) throw error;
        // A payload that does not match the schema will never match it: fail permanently
        // now instead of retrying 25 times. Lowering max_attempts to the attempts already
        // made leaves the row in the failed-jobs view with this error as last_error.
        await helpers.withPgClient((client) =>
          client.query(
            "UPDATE graphile_worker._private_jobs SET max_attempts = attempts WHERE id = $1",
            [job.id],
          ),
        );
        job.max_attempts = job.attempts;
        throw error;
      }
      let jobLog: Logger | undefined;
      await execute({
        prisma,
        // This job's logger (name, id, attempt), created on first use: most jobs log nothing.
        get log() {
          return (jobLog ??= log.child({
            job: job.task_identifier,
            jobId: String(job.id),
            attempt: job.attempts,
          }));
        },
        job: {
          id: String(job.id),
          name: job.task_identifier,
          attempt: job.attempts,
          maxAttempts: job.max_attempts,
          isFinalAttempt: job.attempts >= job.max_attempts,
        },
        signal: helpers.abortSignal,
        emailTransport: options.emailTransport,
        appUrl,
        billing,
        usage,
        product,
        runKinds,
        runEngine: options.runEngine,
        dataExports: options.dataExports,
      });
    };
  }

  const localQueueSize = options.localQueueSize ?? 0;
  if (localQueueSize > 0) {
    const serial = registered
      .filter((entry) => entry.definition.queue)
      .map((e) => e.definition.name);
    if (serial.length > 0) {
      log.warn(
        { localQueueSize, jobs: serial },
        "local queue on: jobs of a named queue may run concurrently (graphile-worker #621)",
      );
    }
  }
  const resetLocked = options.resetLockedIntervalMs;
  const runner = await run({
    connectionString: options.databaseUrl,
    maxPoolSize: concurrency + 2,
    concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? 2_000,
    taskList,
    parsedCronItems: parseCronItems(
      options.cron === null ? [] : (options.cron ?? cronSchedule(modules.cron)),
    ),
    logger: graphileLogger(log),
    gracefulShutdownAbortTimeout: shutdownTimeoutMs,
    // Batched completion (delay 0 = same tick) makes a graceful shutdown wait until finished
    // jobs are recorded as complete/failed; unbatched, graphile-worker 0.17 fires those queries
    // without awaiting them and a stop can close the pool first, leaving the finished job locked.
    preset: {
      worker: {
        completeJobBatchDelay: options.completeJobBatchDelayMs ?? 0,
        failJobBatchDelay: options.failJobBatchDelayMs ?? 0,
        ...(localQueueSize > 0 ? { localQueue: { size: localQueueSize } } : {}),
      },
    },
    ...(resetLocked
      ? { minResetLockedInterval: resetLocked, maxResetLockedInterval: resetLocked + 1 }
      : {}),
  });

  const started = new Map<string, bigint>();
  runner.events.on("job:start", ({ job }) => {
    started.set(String(job.id), process.hrtime.bigint());
    // Debug: one info line per job (its outcome, with the duration) is enough in production.
    if (log.isLevelEnabled("debug")) log.debug(jobFields(job), "job started");
  });
  const durationMs = (job: Job) => {
    const start = started.get(String(job.id));
    started.delete(String(job.id));
    return start === undefined
      ? undefined
      : Number((process.hrtime.bigint() - start) / 1000n) / 1000;
  };
  const metrics = createWorkerMetrics(prisma);
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  runner.events.on("job:success", ({ job }) => {
    const ms = durationMs(job);
    metrics.recordJob(job.task_identifier, "success", seconds(ms));
    log.info({ ...jobFields(job), durationMs: ms }, "job succeeded");
  });
  runner.events.on("job:error", ({ job, error }) => {
    const final = job.attempts >= job.max_attempts;
    const ms = durationMs(job);
    metrics.recordJob(job.task_identifier, final ? "failure" : "retry", seconds(ms));
    log[final ? "error" : "warn"](
      { ...jobFields(job), durationMs: ms, err: error },
      final ? "job failed permanently" : "job failed, will retry",
    );
  });

  let running = true;
  const sweep = async () => {
    try {
      const failed = await failUnknownJobs(
        prisma,
        knownNames,
        options.unknownJobGraceMs ?? 5 * 60_000,
      );
      for (const id of failed) log.error({ jobId: id }, "job failed permanently: unknown job name");
    } catch (error) {
      log.warn({ err: error }, "unknown-job sweep failed");
    }
    try {
      // Runs whose worker died mid-run (SIGKILL): retried now, not after graphile's 4 hours.
      const recovered = await recoverStaleRuns(prisma, { staleAfterMs: options.staleRunAfterMs });
      for (const id of recovered.retried) log.warn({ runId: id }, "stale run: retrying");
      for (const id of recovered.failed) log.error({ runId: id }, "stale run: failed");
    } catch (error) {
      log.warn({ err: error }, "stale-run sweep failed");
    }
  };
  void sweep();
  const sweeper = setInterval(() => void sweep(), options.unknownJobSweepIntervalMs ?? 60_000);
  sweeper.unref();

  const health = () => healthReport(prisma, { running, concurrency });
  const healthServer =
    options.healthPort === false || options.healthPort === undefined
      ? null
      : await startHealthServer(options.healthPort, health, options.healthHost);
  const metricsServer =
    options.metricsPort === false || options.metricsPort === undefined
      ? null
      : await startMetricsServer(
          options.metricsPort,
          options.metricsHost ?? "127.0.0.1",
          metrics.registry,
        );

  log.info(
    {
      concurrency,
      jobs: knownNames,
      healthPort: healthServer?.port ?? null,
      metricsPort: metricsServer?.port ?? null,
      product: product.key,
      billingProvider: billing.stripe ? "stripe" : "local",
    },
    "worker started",
  );

  let stopping: Promise<void> | undefined;
  const stop = (reason = "stop requested") => {
    stopping ??= (async () => {
      log.info({ reason, shutdownTimeoutMs }, "worker stopping");
      clearInterval(sweeper);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        runner.stop().then(
          () => "stopped" as const,
          (error: unknown) => {
            log.warn({ err: error }, "runner stop error");
            return "stopped" as const;
          },
        ),
        new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        log.warn(
          {
            shutdownTimeoutMs,
          },
          "shutdown timeout exceeded; failing running jobs so they are retried",
        );
        await runner
          .kill("shutdown timeout exceeded")
          .catch((error: unknown) => log.warn({ err: error }, "runner kill error"));
      }
      running = false;
      await healthServer?.close();
      await metricsServer?.close();
      await prisma.$disconnect();
      log.info({ reason }, "worker stopped");
    })();
    return stopping;
  };

  const stopped = runner.promise.then(
    () => undefined,
    (error: unknown) => {
      log.error({ err: error }, "worker crashed");
      throw error;
    },
  );

  return {
    runner,
    prisma,
    log,
    healthPort: healthServer?.port ?? null,
    metricsPort: metricsServer?.port ?? null,
    metrics,
    health,
    stop,
    stopped,
  };
}
