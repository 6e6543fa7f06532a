// The API catalog's environment: the demo upstream's port (scripts/dev.ts, the demo catalog).
import { z } from "zod";

export function demoUpstreamPort(fallback: number): number {
  return z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .default(fallback)
    .parse(process.env.DEMO_UPSTREAM_PORT || undefined);
}
