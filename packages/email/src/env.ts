// @plinth/email's configuration (@t3-oss/env-core; composed by the apps' env.ts).
// The transport: RESEND_API_KEY → Resend; else SMTP_URL → SMTP; else the dev mailbox (the
// emails table). Both providers set at once is refused: which one sends must never be a guess.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseEmailEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** e.g. smtp://user:pass@smtp.example.com:587 — unset (and no RESEND_API_KEY): the dev mailbox. */
      SMTP_URL: z.url().optional(),
      /** Resend's HTTP API (https://resend.com); the key is a secret, never logged. */
      RESEND_API_KEY: z.string().startsWith("re_", "a Resend API key starts with re_").optional(),
      /** Resend's API base URL: tests point it at a local server. Unset: https://api.resend.com. */
      RESEND_BASE_URL: z.url().optional(),
      EMAIL_FROM: z.string().min(3).default("Plinth <no-reply@plinth.local>"),
    },
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((env, ctx) => {
        if (env.RESEND_API_KEY && env.SMTP_URL) {
          ctx.addIssue({
            code: "custom",
            path: ["SMTP_URL"],
            message: "set either RESEND_API_KEY or SMTP_URL, not both",
          });
        }
        if (env.RESEND_BASE_URL && !env.RESEND_API_KEY) {
          ctx.addIssue({
            code: "custom",
            path: ["RESEND_API_KEY"],
            message: "RESEND_BASE_URL is set but RESEND_API_KEY is not",
          });
        }
      }),
    ...envOptions("email", source),
  });
}

export type EmailEnv = ReturnType<typeof parseEmailEnv>;

export const emailEnv = once(() => parseEmailEnv());
