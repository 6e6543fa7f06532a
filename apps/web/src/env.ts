// The web app's configuration: its own keys plus those of every package it runs, composed with
// @t3-oss/env-core's `extends` (each package validates its own keys in its env.ts). Parsed on
// first use, never at import, so `next build` runs without a database or secrets;
// src/instrumentation.ts validates it all when the server starts.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { authEnv, parseAuthEnv } from "@plinth/auth/env";
import { billingEnv, parseBillingEnv } from "@plinth/billing/env";
import { coreEnv, envOptions, once, parseCoreEnv, type RuntimeEnv } from "@plinth/core/env";
import { dbEnv, parseDbEnv } from "@plinth/db/env";
import { emailEnv, parseEmailEnv } from "@plinth/email";

type Presets = [
  ReturnType<typeof coreEnv>,
  ReturnType<typeof dbEnv>,
  ReturnType<typeof authEnv>,
  ReturnType<typeof emailEnv>,
  ReturnType<typeof billingEnv>,
];

function composeWebEnv(presets: Presets, source?: RuntimeEnv) {
  return createEnv({
    extends: presets,
    server: {
      /**
       * The dev mailbox in a production build ("1"), for the browser tests; ignored when
       * SMTP_URL is set. Never in a deployment: the page shows every stored email.
       */
      DEV_MAILBOX: z
        .enum(["1", "0"])
        .optional()
        .transform((value) => value === "1"),
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
    ],
    source,
  );
}

/** The process environment, validated once; packages reuse the parts they parsed. */
export const env = once(() =>
  composeWebEnv([coreEnv(), dbEnv(), authEnv(), emailEnv(), billingEnv()]),
);

/** Development-only pages (the mailbox). */
export function isDevelopment(): boolean {
  return env().NODE_ENV !== "production";
}

/** The dev mailbox: in development, or in a production build started with DEV_MAILBOX=1. */
export function isDevMailboxEnabled(): boolean {
  const { DEV_MAILBOX, SMTP_URL } = env();
  return isDevelopment() || (DEV_MAILBOX && !SMTP_URL);
}
