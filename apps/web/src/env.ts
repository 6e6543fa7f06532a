// The web app's configuration, validated with zod on first use (never at import time, so
// `next build` runs without a database or secrets). Auth's own keys are read by @plinth/auth.
import { z } from "zod";
import { DEFAULT_MAX_BATCH_SIZE } from "@plinth/api/http";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().min(1),
  APP_URL: z.url().default("http://localhost:3000"),
  /** Calls per tRPC batch; a bigger batch is refused (400) before any call runs. */
  TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_BATCH_SIZE),
});

export type WebEnv = z.infer<typeof schema>;

let cached: WebEnv | undefined;
export function env(): WebEnv {
  if (!cached) {
    const source = Object.fromEntries(
      Object.entries(process.env).filter(([, value]) => value !== ""),
    );
    const result = schema.safeParse(source);
    if (!result.success)
      throw new Error(`Invalid web configuration: ${z.prettifyError(result.error)}`);
    cached = result.data;
  }
  return cached;
}

const serverSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Interface to listen on. Unset: 127.0.0.1 in development, every interface in production. */
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated IPs/CIDRs, IPv4 or IPv6).
   * Unset: none; the client IP is the socket's peer. Checked by server.ts at start-up.
   */
  TRUSTED_PROXIES: z.string().optional(),
});

export type ServerEnv = z.infer<typeof serverSchema>;

/** What apps/web/server.ts (the HTTP server around Next) reads, validated at start-up. */
export function serverEnv(): ServerEnv {
  const source = Object.fromEntries(
    Object.entries(process.env).filter(([, value]) => value !== ""),
  );
  const result = serverSchema.safeParse(source);
  if (!result.success)
    throw new Error(`Invalid web server configuration: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** Development-only pages (the mailbox). Read at request time. */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV !== "production";
}

/**
 * The dev mailbox: in development, or in a production build explicitly started with
 * DEV_MAILBOX=1 and no SMTP (the browser tests do). Never set DEV_MAILBOX in a deployment:
 * the page shows every stored email, sign-in links included.
 */
export function isDevMailboxEnabled(): boolean {
  return isDevelopment() || (process.env.DEV_MAILBOX === "1" && !process.env.SMTP_URL);
}
