// The gateway's configuration: its own keys plus those of the packages it runs (@t3-oss/env-core
// presets composed with `extends`). The only place in the gateway app that reads process.env.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { billingEnv, parseBillingEnv } from "@plinth/billing/env";
import { coreEnv, envOptions, once, parseCoreEnv, type RuntimeEnv } from "@plinth/core/env";
import { dbEnv, parseDbEnv } from "@plinth/db/env";
import { parseProductEnv, productEnv } from "@plinth/product/env";

type Presets = [
  ReturnType<typeof coreEnv>,
  ReturnType<typeof dbEnv>,
  ReturnType<typeof billingEnv>,
  ReturnType<typeof productEnv>,
];

function composeGatewayEnv(presets: Presets, source?: RuntimeEnv) {
  return createEnv({
    extends: presets,
    server: {
      /** /api/v1 listens here (the web app proxies /api/v1/* to it in development). */
      GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
      /** Interface to listen on. Unset: every interface; `npm run dev` sets 127.0.0.1. */
      GATEWAY_HOST: z.string().min(1).optional(),
      /** Shared rate-limit counters for every gateway instance; unset: in memory, per process. */
      REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
      /** Requests per minute per client IP without a valid key (health, bad keys). */
      GATEWAY_IP_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(60),
      /**
       * How long an organization's plan and subscription state is reused while the change
       * listener is down (ms; while it is up: until a change is heard). 0: never cached.
       */
      GATEWAY_ORGANIZATION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
      /** SIGTERM: in-flight requests and the metering queue get this long (ms). */
      GATEWAY_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    },
    ...envOptions("gateway", source),
  });
}

export type GatewayEnv = ReturnType<typeof composeGatewayEnv>;

/** Every key the gateway reads, from `source` (tests) — each package's part parsed afresh. */
export function parseGatewayEnv(source: RuntimeEnv): GatewayEnv {
  return composeGatewayEnv(
    [parseCoreEnv(source), parseDbEnv(source), parseBillingEnv(source), parseProductEnv(source)],
    source,
  );
}

/** The process environment, validated once at start (main.ts). */
export const gatewayEnv = once(() =>
  composeGatewayEnv([coreEnv(), dbEnv(), billingEnv(), productEnv()]),
);
