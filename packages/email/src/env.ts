// The only place in @plinth/email that reads process.env.
import { z } from "zod";

const schema = z.object({
  /** e.g. smtp://user:pass@smtp.example.com:587 — unset: the dev mailbox (the emails table). */
  SMTP_URL: z.url().optional(),
  EMAIL_FROM: z.string().min(3).default("Plinth <no-reply@plinth.local>"),
  /** Base URL used for links in emails. */
  APP_URL: z.url().default("http://localhost:3000"),
});

export type EmailEnv = z.infer<typeof schema>;

export function parseEmailEnv(source: Record<string, string | undefined> = process.env): EmailEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new Error(`Invalid email configuration: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

let cached: EmailEnv | undefined;
export function emailEnv(): EmailEnv {
  cached ??= parseEmailEnv();
  return cached;
}
