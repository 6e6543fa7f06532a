// Prometheus metrics of one gateway process (prom-client, its own registry): requests by
// route template and status, latency, rate-limit refusals, key verification, and the metering
// writer's queue depth, lag and counts (read from the writer when scraped).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { MeteringMetrics } from "@plinth/metering";

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  latency: Histogram<"route" | "method">;
  rateLimited: Counter<"policy">;
  keyRefusals: Counter;
}

export function createGatewayMetrics(sources: { metering: () => MeteringMetrics }): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "gateway_requests_total",
    help: "Answered /api/v1 requests",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "gateway_request_duration_seconds",
    help: "Time to answer, by route template",
    labelNames: ["route", "method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "gateway_rate_limited_total",
    help: "Requests refused by a rate limit",
    labelNames: ["policy"] as const,
    registers: [registry],
  });
  const keyRefusals = new Counter({
    name: "gateway_api_key_refusals_total",
    help: "Requests with a missing, malformed, unknown, revoked or expired key",
    registers: [registry],
  });
  const meteringGauge = (name: string, help: string, pick: (m: MeteringMetrics) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(sources.metering()));
      },
    });
  meteringGauge(
    "gateway_metering_queue_depth",
    "Usage events waiting",
    (m) => m.depth + m.inFlight,
  );
  meteringGauge(
    "gateway_metering_lag_seconds",
    "Age of the oldest unwritten event",
    (m) => m.lagMs / 1000,
  );
  meteringGauge("gateway_metering_inserted", "Usage events written", (m) => m.inserted);
  meteringGauge("gateway_metering_dropped", "Usage events refused (queue full)", (m) => m.dropped);
  meteringGauge("gateway_metering_failed_flushes", "Failed flushes", (m) => m.failedFlushes);
  return { registry, requests, latency, rateLimited, keyRefusals };
}
