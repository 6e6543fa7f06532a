// sendEmail: stores the email (status QUEUED) and enqueues its delivery in one transaction.
// deliverEmail: the email.send handler's work — SMTP when configured, else the dev mailbox.
import { type PrismaClient, type TransactionClient } from "@plinth/db";
import { enqueue, jobs } from "@plinth/jobs";
import nodemailer from "nodemailer";
import { z } from "zod";
import { emailEnv } from "./env.ts";

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

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** Delivers one message; returns the transport's name recorded on the Email row. */
export interface EmailTransport {
  name: string;
  send(message: MailMessage): Promise<void>;
}

export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: "smtp",
    send: async (message) => {
      await transporter.sendMail(message);
    },
  };
}

/** The dev mailbox: the Email row itself is the delivered message (shown by the web app). */
export const devMailboxTransport: EmailTransport = { name: "dev-mailbox", send: async () => {} };

export function defaultTransport(): EmailTransport {
  const { SMTP_URL } = emailEnv();
  return SMTP_URL ? smtpTransport(SMTP_URL) : devMailboxTransport;
}

export type DeliveryResult = "sent" | "already-sent" | "missing";

/**
 * Delivers a QUEUED email. Idempotent: a SENT email is not sent again. On a transport error
 * the error is recorded and rethrown (the job retries); on the last attempt the email is
 * marked FAILED.
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
      from: options.from ?? emailEnv().EMAIL_FROM,
      to: email.to,
      subject: email.subject,
      html: email.html,
      text: email.text,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await prisma.email.update({
      where: { id: emailId },
      data: {
        error: message,
        transport: transport.name,
        ...(options.isFinalAttempt ? { status: "FAILED" } : {}),
      },
    });
    throw error;
  }
  await prisma.email.update({
    where: { id: emailId },
    data: { status: "SENT", transport: transport.name, sentAt: new Date(), error: null },
  });
  return "sent";
}
