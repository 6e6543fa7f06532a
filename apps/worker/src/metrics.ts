// Prometheus metrics of one worker process (prom-client, its own registry) on a small HTTP
// server (GET /metrics, WORKER_METRICS_PORT, loopback by default): jobs by task and outcome,
// their durations, webhook deliveries by outcome, and the queue (read from graphile-worker's tables when scraped).
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import type { PrismaClient } from "@plinth/db";
import { queueStats, type QueueStats } from "@plinth/jobs";
import { webhookDeliveries } from "@plinth/webhooks/metrics";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type JobOutcome = "success" | "retry" | "failure";

export interface WorkerMetrics {
  registry: Registry;
  /** One finished attempt of a job. */
  recordJob(task: string, outcome: JobOutcome, durationSeconds: number | undefined): void;
}

export function createWorkerMetrics(prisma: PrismaClient): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Outbound webhook deliveries by outcome (counted by @plinth/webhooks in this process).
  registry.registerMetric(webhookDeliveries);
  const jobs = new Counter({
    name: "worker_jobs_total",
    help: "Finished job attempts by task and outcome (success, retry: failed and will retry, failure: failed permanently)",
    labelNames: ["task", "outcome"] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "worker_job_duration_seconds",
    help: "Time a job attempt ran, by task and outcome",
    labelNames: ["task", "outcome"] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  // One queue read per scrape, shared by the queue gauges.
  let pending: Promise<QueueStats | null> | null = null;
  const stats = () =>
    (pending ??= queueStats(prisma)
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = null), 0)));
  new Gauge({
    name: "worker_queue_stats_up",
    help: "1 when the queue could be read from the database at this scrape, else 0",
    registers: [registry],
    async collect() {
      this.set((await stats()) ? 1 : 0);
    },
  });
  const queueGauge = (name: string, help: string, pick: (s: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const current = await stats();
        if (current) this.set(pick(current));
      },
    });
  queueGauge("worker_queue_depth", "Jobs waiting to run now", (s) => s.waiting);
  queueGauge("worker_queue_running", "Jobs locked by a worker", (s) => s.running);
  queueGauge(
    "worker_queue_scheduled",
    "Jobs scheduled for later (incl. retries)",
    (s) => s.scheduled,
  );
  queueGauge("worker_queue_failed", "Jobs failed permanently (kept)", (s) => s.failed);
  queueGauge(
    "worker_queue_oldest_waiting_seconds",
    "Age of the oldest job waiting to run",
    (s) => s.oldestWaitingSeconds,
  );
  return {
    registry,
    recordJob(task, outcome, durationSeconds) {
      jobs.inc({ task, outcome });
      if (durationSeconds !== undefined) durations.observe({ task, outcome }, durationSeconds);
    },
  };
}

/** GET /metrics on `host:port` (0: a free port); anything else 404. */
export async function startMetricsServer(
  port: number,
  host: string,
  registry: Registry,
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    registry.metrics().then(
      (text) => {
        res
          .writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" })
          .end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
