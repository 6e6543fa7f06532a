// The worker's configuration: its own keys plus those of the packages it runs (@t3-oss/env-core
// presets composed with `extends`). The only place in the worker app that reads process.env.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { parseBillingEnv, billingEnv } from "@plinth/billing/env";
import { coreEnv, envOptions, once, parseCoreEnv, type RuntimeEnv } from "@plinth/core/env";
import { dbEnv, parseDbEnv } from "@plinth/db/env";
import { emailEnv, parseEmailEnv } from "@plinth/email";
import { parsePlatformEnv, platformEnv } from "@plinth/platform/env";
import { parseProductEnv, productEnv } from "@plinth/product/env";
import { parseWebhooksEnv, webhooksEnv } from "@plinth/webhooks";

type Presets = [
  ReturnType<typeof coreEnv>,
  ReturnType<typeof dbEnv>,
  ReturnType<typeof emailEnv>,
  ReturnType<typeof billingEnv>,
  ReturnType<typeof productEnv>,
  ReturnType<typeof webhooksEnv>,
  ReturnType<typeof platformEnv>,
];

function composeWorkerEnv(presets: Presets, source?: RuntimeEnv) {
  return createEnv({
    extends: presets,
    server: {
      WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
      WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
      /** Interface of the health port. Unset: every interface; `npm run dev` sets 127.0.0.1. */
      WORKER_HEALTH_HOST: z.string().min(1).optional(),
      /** GET /metrics (Prometheus); 0 picks a free port. */
      WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
      /** Interface of the metrics port: loopback unless a scraper elsewhere needs it. */
      WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
      WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
      WORKER_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
      /** graphile-worker's local queue size; 0: off (docs/architecture.md, worker settings). */
      WORKER_LOCAL_QUEUE_SIZE: z.coerce.number().int().min(0).max(1_000).default(0),
      /** How long job completions (failures) wait to be written together; 0: same tick. */
      WORKER_COMPLETE_JOB_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(5_000).default(0),
      WORKER_FAIL_JOB_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(5_000).default(0),
      /** Months of raw usage_events kept before the current one (rollups are kept). */
      USAGE_EVENTS_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(13),
    },
    ...envOptions("worker", source),
  });
}

export type WorkerEnv = ReturnType<typeof composeWorkerEnv>;

/** Every key the worker reads, from `source` (tests) — each package's part parsed afresh. */
export function parseWorkerEnv(source: RuntimeEnv): WorkerEnv {
  return composeWorkerEnv(
    [
      parseCoreEnv(source),
      parseDbEnv(source),
      parseEmailEnv(source),
      parseBillingEnv(source),
      parseProductEnv(source),
      parseWebhooksEnv(source),
      parsePlatformEnv(source),
    ],
    source,
  );
}

/** The process environment, validated once at start (main.ts); packages reuse their parts. */
export const workerEnv = once(() =>
  composeWorkerEnv([
    coreEnv(),
    dbEnv(),
    emailEnv(),
    billingEnv(),
    productEnv(),
    webhooksEnv(),
    platformEnv(),
  ]),
);
