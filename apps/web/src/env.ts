// The web app's configuration: its own keys plus those of every package it runs, composed with
// @t3-oss/env-core's `extends` (each package validates its own keys in its env.ts). Parsed on
// first use, never at import, so `next build` runs without a database or secrets;
// src/instrumentation.ts validates it all when the server starts.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { DEFAULT_MAX_BATCH_SIZE } from "@plinth/trpc/http";
import { authEnv, parseAuthEnv } from "@plinth/auth/env";
import { billingEnv, parseBillingEnv } from "@plinth/billing/env";
import {
  coreEnv,
  envOptions,
  nodeEnvSchema,
  once,
  parseCoreEnv,
  type RuntimeEnv,
} from "@plinth/core/env";
import { dbEnv, parseDbEnv } from "@plinth/db/env";
import { emailEnv, parseEmailEnv } from "@plinth/email";
import { parsePlatformEnv, platformEnv } from "@plinth/platform/env";
import { parseProductEnv, productEnv } from "@plinth/product/env";

type Presets = [
  ReturnType<typeof coreEnv>,
  ReturnType<typeof dbEnv>,
  ReturnType<typeof authEnv>,
  ReturnType<typeof emailEnv>,
  ReturnType<typeof billingEnv>,
  ReturnType<typeof productEnv>,
  ReturnType<typeof platformEnv>,
];

function composeWebEnv(presets: Presets, source?: RuntimeEnv) {
  return createEnv({
    extends: presets,
    server: {
      /**
       * The dev mailbox in a production build ("1"), for the browser tests; ignored when
       * SMTP_URL or RESEND_API_KEY is set. Never in a deployment: the page shows every stored email.
       */
      DEV_MAILBOX: z
        .enum(["1", "0"])
        .optional()
        .transform((value) => value === "1"),
      /** Calls per tRPC batch; a bigger batch is refused (400) before any call runs. */
      TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_BATCH_SIZE),
      /**
       * GET /metrics (Prometheus) needs `Authorization: Bearer <this>` when set; unset, only
       * loopback clients are answered (everyone else: 404).
       */
      METRICS_TOKEN: z.string().min(16).optional(),
    },
    ...envOptions("web", source),
  });
}

export type WebEnv = ReturnType<typeof composeWebEnv>;

/** Every key the web app reads, from `source` (tests) — each package's part parsed afresh. */
export function parseWebEnv(source: RuntimeEnv): WebEnv {
  return composeWebEnv(
    [
      parseCoreEnv(source),
      parseDbEnv(source),
      parseAuthEnv(source),
      parseEmailEnv(source),
      parseBillingEnv(source),
      parseProductEnv(source),
      parsePlatformEnv(source),
    ],
    source,
  );
}

/** The process environment, validated once; packages reuse the parts they parsed. */
export const env = once(() =>
  composeWebEnv([
    coreEnv(),
    dbEnv(),
    authEnv(),
    emailEnv(),
    billingEnv(),
    productEnv(),
    platformEnv(),
  ]),
);

/**
 * What apps/web/server.ts (the HTTP server around Next) reads, validated at start-up: only its
 * own keys, so the server can bind before the rest of the configuration is checked.
 */
export function serverEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    shared: { NODE_ENV: nodeEnvSchema },
    server: {
      /** Interface to listen on. Unset: 127.0.0.1 in development, every interface in production. */
      HOST: z.string().min(1).optional(),
      PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
      /**
       * Proxies whose X-Forwarded-For is believed (comma-separated IPs/CIDRs, IPv4 or IPv6).
       * Unset: none; the client IP is the socket's peer. Checked by server.ts at start-up.
       */
      TRUSTED_PROXIES: z.string().optional(),
      /**
       * The public API gateway (http://host:port): server.ts forwards /api/v1/* to it, so the
       * app's origin serves the API. Unset: not forwarded (development: next.config.ts's rewrite).
       */
      GATEWAY_URL: z.url({ protocol: /^http$/ }).optional(),
    },
    ...envOptions("web server", source),
  });
}

export type ServerEnv = ReturnType<typeof serverEnv>;

/** Development-only pages (the mailbox). */
export function isDevelopment(): boolean {
  return env().NODE_ENV !== "production";
}

/** The dev mailbox: in development, or in a production build started with DEV_MAILBOX=1. */
export function isDevMailboxEnabled(): boolean {
  const { DEV_MAILBOX, SMTP_URL, RESEND_API_KEY } = env();
  return isDevelopment() || (DEV_MAILBOX && !SMTP_URL && !RESEND_API_KEY);
}
