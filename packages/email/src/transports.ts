// The transports deliverEmail sends through: SMTP, Resend's HTTP API, the dev mailbox. One is
// chosen from the environment (env.ts: RESEND_API_KEY → Resend; else SMTP_URL → SMTP; else the
// dev mailbox). A transport throws on failure: a PermanentEmailError when retrying cannot help
// (the email is marked FAILED at once), any other error is transient (the job retries).
import nodemailer from "nodemailer";
import { Resend } from "resend";
import { once } from "@plinth/core/env";
import { emailEnv, type EmailEnv } from "./env.ts";

export interface MailMessage {
  /** Our Email row's id: the provider's idempotency key, so a retried job never sends twice. */
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Delivers one message; `name` is recorded on the Email row. */
export interface EmailTransport {
  name: string;
  send(message: MailMessage): Promise<void>;
}

/** A failure retrying will not fix (a refused address, a malformed message). */
export class PermanentEmailError extends Error {
  override name = "PermanentEmailError";
}

export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: "smtp",
    // Every SMTP failure is transient (retried by the job, FAILED on its last attempt).
    send: async ({ from, to, subject, html, text }) => {
      await transporter.sendMail({ from, to, subject, html, text });
    },
  };
}

/** A Resend call that hangs is abandoned after this long (then retried, like a network error). */
const RESEND_TIMEOUT_MS = 30_000;

/**
 * Resend's answers retrying cannot change. Not 401/403 (a missing, invalid or restricted key,
 * an unverified sender domain): those are the operator's to fix, and until then every email
 * would be lost — they are retried with the job's backoff instead. Not 409
 * concurrent_idempotent_requests (the same email is being sent: retry, the key dedupes), 429
 * (rate limit, quota) nor 5xx.
 */
function isPermanent(statusCode: number | null, name: string): boolean {
  if (statusCode === null) return false; // network error, timeout
  if (statusCode === 409) return name !== "concurrent_idempotent_requests";
  return statusCode >= 400 && statusCode < 500 && ![401, 403, 408, 429].includes(statusCode);
}

export function resendTransport(options: { apiKey: string; baseUrl?: string }): EmailTransport {
  // The client holds the key; it stays in this closure (the transport object carries no secret).
  const client = new Resend(
    options.apiKey,
    options.baseUrl ? { baseUrl: options.baseUrl } : undefined,
  );
  return {
    name: "resend",
    send: async ({ id, from, to, subject, html, text }) => {
      const { error } = await client.emails.send(
        { from, to, subject, html, text },
        { idempotencyKey: id, signal: AbortSignal.timeout(RESEND_TIMEOUT_MS) },
      );
      if (!error) return;
      // Resend's error body: { statusCode, name, message } — never the key.
      const message = `Resend ${error.statusCode ?? "request failed"} ${error.name}: ${error.message}`;
      throw isPermanent(error.statusCode, error.name)
        ? new PermanentEmailError(message)
        : new Error(message);
    },
  };
}

/** The dev mailbox: the Email row itself is the delivered message (shown by the web app). */
export const devMailboxTransport: EmailTransport = { name: "dev-mailbox", send: async () => {} };

/** The transport the environment selects (see env.ts). */
export function transportFromEnv(
  env: Pick<EmailEnv, "RESEND_API_KEY" | "RESEND_BASE_URL" | "SMTP_URL">,
): EmailTransport {
  if (env.RESEND_API_KEY) {
    return resendTransport({
      apiKey: env.RESEND_API_KEY,
      ...(env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : {}),
    });
  }
  return env.SMTP_URL ? smtpTransport(env.SMTP_URL) : devMailboxTransport;
}

/** This process's transport: one SMTP connection setup / Resend client, not one per email. */
export const defaultTransport = once(() => transportFromEnv(emailEnv()));
