// Invoices for the billing page, kept in the `invoices` table whatever the provider:
//   - Stripe: every invoice.* webhook re-reads the customer's recent invoices from Stripe and
//     upserts them by Stripe id (so duplicates and out-of-order events converge, as for
//     subscriptions);
//   - local provider: a test-mode invoice row per activation or upgrade (nothing is charged).
import { randomBytes } from "node:crypto";
import type { PrismaClient, TransactionClient } from "@plinth/db";
import { z } from "zod";
import type { BillingDb, StripeDeps } from "./stripe/deps.ts";

export interface InvoiceSummary {
  id: string;
  provider: "stripe" | "razorpay" | "local";
  number: string | null;
  created: Date;
  currency: string;
  amountDue: number;
  amountPaid: number;
  status: string;
  description: string | null;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
}

export async function listInvoices(
  db: BillingDb,
  input: { organizationId: string; limit?: number },
): Promise<InvoiceSummary[]> {
  const rows = await db.system.invoice.findMany({
    where: { organizationId: input.organizationId },
    orderBy: [{ issuedAt: "desc" }, { createdAt: "desc" }],
    take: Math.min(Math.max(input.limit ?? 24, 1), 100),
  });
  return rows.map((row) => ({
    id: row.stripeInvoiceId ?? row.razorpayInvoiceId ?? row.id,
    provider:
      row.provider === "STRIPE" ? "stripe" : row.provider === "RAZORPAY" ? "razorpay" : "local",
    number: row.number,
    created: row.issuedAt,
    currency: row.currency,
    amountDue: row.amountDue,
    amountPaid: row.amountPaid,
    status: row.status,
    description: row.description,
    hostedInvoiceUrl: row.hostedInvoiceUrl,
    invoicePdf: row.invoicePdf,
  }));
}

const stripeInvoiceSchema = z
  .object({
    id: z.string(),
    number: z.string().nullable(),
    status: z.string().nullable(),
    currency: z.string(),
    amount_due: z.number().int(),
    amount_paid: z.number().int(),
    created: z.number().int(),
    billing_reason: z.string().nullish(),
    hosted_invoice_url: z.string().nullish(),
    invoice_pdf: z.string().nullish(),
    period_start: z.number().int().nullish(),
    period_end: z.number().int().nullish(),
  })
  .loose();

const fromUnix = (seconds: number | null | undefined) =>
  seconds == null ? null : new Date(seconds * 1000);
const REASONS: Record<string, string> = {
  subscription_create: "New subscription",
  subscription_cycle: "Renewal",
  subscription_update: "Plan change",
  manual: "Manual invoice",
};

/** Re-reads the customer's recent invoices from Stripe and upserts them. Returns how many. */
export async function syncStripeInvoices(
  deps: StripeDeps,
  target: { organizationId: string; customerId: string },
  options: { limit?: number } = {},
): Promise<number> {
  const { data } = await deps.stripe.invoices.list({
    customer: target.customerId,
    limit: options.limit ?? 24,
  });
  let written = 0;
  for (const raw of data) {
    const parsed = stripeInvoiceSchema.safeParse(raw);
    if (!parsed.success || !parsed.data.status || parsed.data.status === "draft") continue;
    const invoice = parsed.data;
    const row = {
      organizationId: target.organizationId,
      provider: "STRIPE" as const,
      number: invoice.number,
      status: invoice.status ?? "open",
      currency: invoice.currency,
      amountDue: invoice.amount_due,
      amountPaid: invoice.amount_paid,
      description: invoice.billing_reason
        ? (REASONS[invoice.billing_reason] ?? invoice.billing_reason)
        : null,
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      invoicePdf: invoice.invoice_pdf ?? null,
      periodStart: fromUnix(invoice.period_start),
      periodEnd: fromUnix(invoice.period_end),
      issuedAt: new Date(invoice.created * 1000),
    };
    await deps.db.system.invoice.upsert({
      where: { stripeInvoiceId: invoice.id },
      create: { stripeInvoiceId: invoice.id, ...row },
      update: row,
    });
    written++;
  }
  return written;
}

export interface LocalInvoiceInput {
  organizationId: string;
  amount: number;
  description: string;
  periodStart: Date;
  periodEnd: Date;
  issuedAt: Date;
  /** The invoice's lines (minor units), stored as JSON. */
  lines?: readonly {
    description: string | null;
    amount: number;
    proration: boolean;
    itemKey?: string | null;
    quantity?: number | null;
  }[];
}

/** A paid test-mode invoice (local provider: nothing is charged). */
export function recordLocalInvoice(db: PrismaClient | TransactionClient, input: LocalInvoiceInput) {
  const day = input.issuedAt.toISOString().slice(0, 10).replaceAll("-", "");
  return db.invoice.create({
    data: {
      organizationId: input.organizationId,
      provider: "LOCAL",
      number: `TEST-${day}-${randomBytes(3).toString("hex").toUpperCase()}`,
      status: "paid",
      currency: "usd",
      amountDue: input.amount,
      amountPaid: input.amount,
      description: input.description,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      issuedAt: input.issuedAt,
      ...(input.lines ? { lines: input.lines.map((line) => ({ ...line })) } : {}),
    },
  });
}
