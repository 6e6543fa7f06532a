// @plinth/email's configuration (@t3-oss/env-core; composed by the apps' env.ts).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseEmailEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** e.g. smtp://user:pass@smtp.example.com:587 — unset: the dev mailbox (the emails table). */
      SMTP_URL: z.url().optional(),
      EMAIL_FROM: z.string().min(3).default("Plinth <no-reply@plinth.local>"),
    },
    ...envOptions("email", source),
  });
}

export type EmailEnv = ReturnType<typeof parseEmailEnv>;

export const emailEnv = once(() => parseEmailEnv());
