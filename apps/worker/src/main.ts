// Worker process entry point: `pnpm --filter @plinth/worker start`.
import { razorpayFromEnv } from "@plinth/billing/razorpay/client";
import { stripeFromEnv } from "@plinth/billing/stripe/client";
import { rootLogger } from "@plinth/core/root-logger";
import { workerEnv } from "./env.ts";
import { startWorker } from "./worker.ts";

// Validate every key before anything starts (an InvalidEnvError names each bad key).
const env = workerEnv();
const worker = await startWorker({
  databaseUrl: env.DATABASE_URL,
  concurrency: env.WORKER_CONCURRENCY,
  healthPort: env.WORKER_HEALTH_PORT,
  healthHost: env.WORKER_HEALTH_HOST,
  metricsPort: env.WORKER_METRICS_PORT,
  metricsHost: env.WORKER_METRICS_HOST,
  shutdownTimeoutMs: env.WORKER_SHUTDOWN_TIMEOUT_MS,
  pollIntervalMs: env.WORKER_POLL_INTERVAL_MS,
  localQueueSize: env.WORKER_LOCAL_QUEUE_SIZE,
  completeJobBatchDelayMs: env.WORKER_COMPLETE_JOB_BATCH_DELAY_MS,
  failJobBatchDelayMs: env.WORKER_FAIL_JOB_BATCH_DELAY_MS,
  logger: rootLogger(),
  appUrl: env.APP_URL,
  // The Stripe client only when STRIPE_SECRET_KEY is set; otherwise the local provider.
  billing: {
    stripe: stripeFromEnv(env),
    razorpay: razorpayFromEnv(env),
    pastDueGraceDays: env.BILLING_PAST_DUE_GRACE_DAYS,
  },
  usage: { retentionMonths: env.USAGE_EVENTS_RETENTION_MONTHS },
});

let signals = 0;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      worker.log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    worker.stop(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

worker.stopped.catch(() => {
  process.exitCode = 1;
  void worker.stop("fatal error");
});
