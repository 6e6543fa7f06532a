// The web app's Prometheus metrics (prom-client, its own registry, one per process — kept on
// globalThis so Next's dev reloads do not register twice): tRPC calls by procedure and status
// and their latency, recorded by the /api/trpc route handler (handleTrpcRequest's onCalls),
// plus prom-client's process metrics. Served by GET /metrics (src/app/metrics/route.ts).
import { timingSafeEqual } from "node:crypto";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { bearerToken } from "@plinth/auth/origin";
import { clientIp, isLoopback } from "@plinth/auth/request-info";
import type { TrpcRequestReport } from "@plinth/trpc/http";

export interface WebMetrics {
  registry: Registry;
  calls: Counter<"procedure" | "status">;
  latency: Histogram<"procedure">;
  requests: Counter<"status">;
}

export function createWebMetrics(): WebMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    calls: new Counter({
      name: "web_trpc_calls_total",
      help: "tRPC calls answered, by procedure and HTTP status",
      labelNames: ["procedure", "status"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "web_trpc_call_duration_seconds",
      help: "Time to answer the request carrying the call (a batch's calls share it)",
      labelNames: ["procedure"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    requests: new Counter({
      name: "web_trpc_requests_total",
      help: "/api/trpc requests (a batch is one), by HTTP status",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
  };
}

const KEY = Symbol.for("plinth.web-metrics");
type Holder = { [KEY]?: WebMetrics };

/** This process's metrics. */
export function webMetrics(): WebMetrics {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= createWebMetrics());
}

/** handleTrpcRequest's onCalls: one sample per call. */
export function recordTrpcRequest(report: TrpcRequestReport, metrics = webMetrics()): void {
  metrics.requests.inc({ status: String(report.status) });
  for (const call of report.calls) {
    metrics.calls.inc({ procedure: call.procedure, status: String(call.status) });
    metrics.latency.observe({ procedure: call.procedure }, report.durationSeconds);
  }
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics: with a token configured, only `Authorization: Bearer <token>`; without one,
 * only loopback clients. Anyone else gets a 404 (the endpoint does not advertise itself).
 */
export async function metricsResponse(
  request: Request,
  options: { token: string | undefined; metrics?: WebMetrics },
): Promise<Response> {
  const allowed = options.token
    ? sameToken(bearerToken(request.headers), options.token)
    : isLoopback(clientIp(request.headers));
  if (!allowed) {
    return new Response("Not found", {
      status: 404,
      headers: { "content-type": "text/plain", "cache-control": "no-store" },
    });
  }
  const { registry } = options.metrics ?? webMetrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
