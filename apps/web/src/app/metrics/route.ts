// GET /metrics — Prometheus text (src/server/metrics.ts): METRICS_TOKEN as a bearer token when
// set, otherwise loopback clients only; everyone else 404.
import { env } from "~/env.ts";
import { metricsResponse } from "~/server/metrics.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return metricsResponse(request, { token: env().METRICS_TOKEN });
}
