// Delivery outcomes as a Prometheus counter, registered in no registry: whoever serves
// /metrics (the worker) adds it to its own with `registry.registerMetric(webhookDeliveries)`.
// Outcomes: succeeded, retrying (failed, another attempt is scheduled), failed (no more
// attempts), disabled (410 Gone turned the endpoint off), refused (SSRF guard).
import { Counter } from "prom-client";

export type DeliveryOutcome = "succeeded" | "retrying" | "failed" | "disabled" | "refused";

export const webhookDeliveries = new Counter({
  name: "webhook_deliveries_total",
  help: "Outbound webhook delivery attempts by outcome",
  labelNames: ["outcome"] as const,
  registers: [],
});

export function countDelivery(outcome: DeliveryOutcome): void {
  webhookDeliveries.inc({ outcome });
}
