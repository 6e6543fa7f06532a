// The upcoming invoice of an organization (the billing page's "next invoice"): what the
// renewal that closes the current period will charge — the subscription's recurring items for
// the next period (unless it ends at the period end) and the period's usage billed at the
// events' own cost (usage-lines.ts: per API endpoint, with the included-units credit).
//   - local provider: computed here from the subscription items and the usage lines;
//   - Stripe: the usage lines are first made pending invoice items of the subscription
//     (syncUsageInvoiceItems), then Stripe's own preview (invoices.createPreview) is read, so
//     what is shown is what Stripe will invoice.
// Razorpay has no invoice items: refused (UNSUPPORTED).
import type Stripe from "stripe";
import type { Catalog } from "./catalog.ts";
import { listSubscriptionItems } from "./items.ts";
import { BillingError } from "./stripe/checkout.ts";
import type { BillingDb } from "./stripe/deps.ts";
import {
  syncUsageInvoiceItems,
  usageInvoiceLines,
  type UsageInvoiceLine,
  type UsageLinesSource,
} from "./usage-lines.ts";

export interface UpcomingInvoiceLine {
  kind: "subscription" | "usage" | "included" | "other";
  description: string;
  /** Cents (negative: a credit). */
  amount: number;
  /** Recurring items: their quantity; usage lines: null. */
  quantity: number | null;
  calls: number | null;
  units: number | null;
}

export interface UpcomingInvoice {
  provider: "stripe" | "local";
  currency: string;
  /** The usage period the usage lines cover (the current billing period, up to now). */
  periodStart: Date;
  periodEnd: Date;
  lines: UpcomingInvoiceLine[];
  /** The usage lines' sum (cents), included-units credit deducted. */
  usageAmount: number;
  /** What the invoice totals (cents). */
  total: number;
}

export interface UpcomingInvoiceDeps {
  db: BillingDb;
  catalog: Catalog;
  stripe: Stripe | null;
  razorpay: boolean;
  now: Date;
  usageLines: UsageLinesSource;
}

const usageLine = (line: UsageInvoiceLine): UpcomingInvoiceLine => ({
  kind: line.kind,
  description: line.description,
  amount: line.amount,
  quantity: null,
  calls: line.kind === "usage" ? line.calls : null,
  units: line.units,
});

const BILLABLE = ["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"];

/** The upcoming invoice, or null when nothing will be invoiced (no paid subscription). */
export async function previewUpcomingInvoice(
  deps: UpcomingInvoiceDeps,
  organizationId: string,
): Promise<UpcomingInvoice | null> {
  const subscription = await deps.db.system.subscription.findUnique({
    where: { organizationId },
  });
  if (!subscription || !BILLABLE.includes(subscription.status)) return null;
  const periodStart = subscription.currentPeriodStart;
  const periodEnd = subscription.currentPeriodEnd;
  if (!periodStart || !periodEnd) return null;
  if (deps.razorpay && !deps.stripe) {
    throw new BillingError("UNSUPPORTED", "Razorpay has no invoice preview with usage lines");
  }
  const to = deps.now < periodEnd ? deps.now : periodEnd;
  const usage = await usageInvoiceLines(deps.catalog, deps.usageLines, {
    organizationId,
    planKey: subscription.planKey,
    from: periodStart,
    to: new Date(to.getTime() + 1),
  });
  const usageAmount = usage.reduce((sum, line) => sum + line.amount, 0);

  if (deps.stripe && subscription.provider === "STRIPE" && subscription.stripeSubscriptionId) {
    const org = await deps.db.system.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { stripeCustomerId: true },
    });
    if (!org.stripeCustomerId) throw new BillingError("NO_CUSTOMER", "No Stripe customer");
    const stripeDeps = { db: deps.db, stripe: deps.stripe, catalog: deps.catalog };
    await syncUsageInvoiceItems(
      stripeDeps,
      {
        organizationId,
        customerId: org.stripeCustomerId,
        subscriptionId: subscription.stripeSubscriptionId,
        currency: "usd",
        periodStart: Math.floor(periodStart.getTime() / 1000),
        periodEnd: Math.floor(periodEnd.getTime() / 1000),
      },
      usage,
    );
    const invoice = await deps.stripe.invoices.createPreview({
      customer: org.stripeCustomerId,
      subscription: subscription.stripeSubscriptionId,
    });
    const lines = invoice.lines.data.map((line): UpcomingInvoiceLine => {
      const meta = line.metadata ?? {};
      const usageKey = meta.plinth_usage_line;
      const fromUsage = usageKey !== undefined;
      const included = usageKey?.endsWith(":included") ?? false;
      const recurring = line.parent?.type === "subscription_item_details";
      return {
        kind: included ? "included" : fromUsage ? "usage" : recurring ? "subscription" : "other",
        description: line.description ?? "",
        amount: line.amount,
        quantity: fromUsage ? null : (line.quantity ?? null),
        calls: fromUsage && !included ? Number(meta.plinth_calls ?? 0) : null,
        units: fromUsage ? Number(meta.plinth_units ?? 0) : null,
      };
    });
    return {
      provider: "stripe",
      currency: invoice.currency,
      periodStart,
      periodEnd: to,
      lines,
      usageAmount: lines
        .filter((line) => line.kind === "usage" || line.kind === "included")
        .reduce((sum, line) => sum + line.amount, 0),
      total: invoice.total,
    };
  }

  const recurring = subscription.cancelAtPeriodEnd
    ? []
    : (await listSubscriptionItems(deps.db, deps.catalog, organizationId))
        .filter((item) => item.unitAmount * item.quantity !== 0)
        .map((item): UpcomingInvoiceLine => ({
          kind: "subscription",
          description: item.name,
          amount: item.unitAmount * item.quantity,
          quantity: item.quantity,
          calls: null,
          units: null,
        }));
  const lines = [...recurring, ...usage.map(usageLine)];
  return {
    provider: "local",
    currency: "usd",
    periodStart,
    periodEnd: to,
    lines,
    usageAmount,
    total: lines.reduce((sum, line) => sum + line.amount, 0),
  };
}
