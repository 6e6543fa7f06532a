// sendEmail: stores the email (status QUEUED) and enqueues its delivery in one transaction.
// deliverEmail: the email.send handler's work, through the configured transport (transports.ts).
import { type PrismaClient, type TransactionClient } from "@plinth/db";
import { enqueue, jobs } from "@plinth/jobs";
import { z } from "zod";
import { emailEnv } from "./env.ts";
import { defaultTransport, PermanentEmailError, type EmailTransport } from "./transports.ts";

export const sendEmailInputSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(998),
  html: z.string().min(1),
  text: z.string().min(1),
  template: z.string().min(1).max(100),
});
export type SendEmailInput = z.input<typeof sendEmailInputSchema>;

function isClient(db: PrismaClient | TransactionClient): db is PrismaClient {
  return "$transaction" in db && typeof db.$transaction === "function";
}

/**
 * Given a transaction client, joins that transaction (the email is sent only if the caller
 * commits); given a client, opens its own. Returns the Email row's id.
 */
export async function sendEmail(
  db: PrismaClient | TransactionClient,
  input: SendEmailInput,
): Promise<{ id: string }> {
  const data = sendEmailInputSchema.parse(input);
  const write = async (tx: TransactionClient) => {
    const email = await tx.email.create({
      data: { ...data, status: "QUEUED" },
      select: { id: true },
    });
    await enqueue(tx, jobs.emailSend, { emailId: email.id });
    return email;
  };
  return isClient(db) ? db.$transaction(write) : write(db);
}

export type DeliveryResult = "sent" | "already-sent" | "missing" | "failed";

/**
 * Delivers a QUEUED email. Idempotent: a SENT email is not sent again, and the transport gets
 * the email's id as its idempotency key. On a transient transport error the error is recorded
 * and rethrown (the job retries); on the last attempt the email is marked FAILED. A permanent
 * one (PermanentEmailError) marks it FAILED at once and returns "failed": the job completes,
 * nothing retries an address the provider refused.
 */
export async function deliverEmail(
  prisma: PrismaClient,
  emailId: string,
  options: { transport?: EmailTransport; from?: string; isFinalAttempt?: boolean } = {},
): Promise<DeliveryResult> {
  const email = await prisma.email.findUnique({ where: { id: emailId } });
  if (!email) return "missing";
  if (email.status === "SENT") return "already-sent";
  const transport = options.transport ?? defaultTransport();
  try {
    await transport.send({
      id: email.id,
      from: options.from ?? emailEnv().EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentEmailError;
    await prisma.email.update({
      where: { id: emailId },
      data: {
        error: message,
        transport: transport.name,
        ...(permanent || options.isFinalAttempt ? { status: "FAILED" } : {}),
      },
    });
    if (permanent) return "failed";
    throw error;
  }
  await prisma.email.update({
    where: { id: emailId },
    data: { status: "SENT", transport: transport.name, sentAt: new Date(), error: null },
  });
  return "sent";
}
