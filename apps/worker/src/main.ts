// Worker process entry point: `pnpm --filter @plinth/worker start`.
import { billingEnv } from "@plinth/billing/env";
import { stripeFromEnv } from "@plinth/billing/stripe/client";
import { emailEnv } from "@plinth/email";
import { parseWorkerEnv } from "./env.ts";
import { startWorker } from "./worker.ts";

const env = parseWorkerEnv();
const email = emailEnv();
const billing = billingEnv();
const worker = await startWorker({
  databaseUrl: env.DATABASE_URL,
  concurrency: env.WORKER_CONCURRENCY,
  healthPort: env.WORKER_HEALTH_PORT,
  healthHost: env.WORKER_HEALTH_HOST,
  shutdownTimeoutMs: env.WORKER_SHUTDOWN_TIMEOUT_MS,
  pollIntervalMs: env.WORKER_POLL_INTERVAL_MS,
  logLevel: env.LOG_LEVEL,
  appUrl: email.APP_URL,
  // The Stripe client only when STRIPE_SECRET_KEY is set; otherwise the local provider.
  billing: {
    stripe: stripeFromEnv(billing),
    pastDueGraceDays: billing.BILLING_PAST_DUE_GRACE_DAYS,
  },
});

let signals = 0;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals > 1) {
      worker.log.warn("second signal: exiting now", { signal });
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
