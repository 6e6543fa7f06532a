// Stripe-hosted checkout and portal, plus direct subscription changes (plan change with a
// proration preview, cancel at period end, resume). After each change the organization's row
// is re-synced from Stripe so the UI reflects it before the webhook arrives.
import type Stripe from "stripe";
import { sellableAsPlan, type Catalog, type Plan } from "../catalog.ts";
import { ensureStripeCustomer } from "./customers.ts";
import { nowOf, type StripeDeps } from "./deps.ts";
import { stripeSubscriptionSchema } from "./events.ts";
import { lookupKeysFor, planIntervals, type Interval } from "./prices.ts";
import { syncStripeCustomer, type CustomerSyncResult } from "./sync.ts";

export class BillingError extends Error {
  override readonly name = "BillingError";
  constructor(
    readonly code:
      | "PLAN_NOT_PURCHASABLE"
      | "PRICE_NOT_FOUND"
      | "NO_SUBSCRIPTION"
      | "NO_CUSTOMER"
      | "SAME_PLAN"
      /** A subscription item list that cannot be set (duplicates, quantities, plan missing). */
      | "INVALID_ITEMS"
      /** The configured provider does not offer the operation (e.g. items on Razorpay). */
      | "UNSUPPORTED",
    message: string,
  ) {
    super(message);
  }
}

export function purchasablePlan(catalog: Catalog, planKey: string, interval: Interval): Plan {
  const plan = catalog.getPlan(planKey);
  if (!plan || !sellableAsPlan(plan) || !planIntervals(plan).includes(interval)) {
    throw new BillingError(
      "PLAN_NOT_PURCHASABLE",
      `Plan ${planKey} cannot be bought ${interval}ly`,
    );
  }
  return plan;
}

/** The active Stripe prices for plan+interval, by lookup key (created by catalog-sync). */
export async function pricesFor(
  stripe: Stripe,
  plan: Plan,
  interval: Interval,
): Promise<Stripe.Price[]> {
  const keys = lookupKeysFor(plan, interval);
  const { data } = await stripe.prices.list({ lookup_keys: keys, active: true, limit: 100 });
  const missing = keys.filter((key) => !data.some((price) => price.lookup_key === key));
  if (missing.length > 0) {
    throw new BillingError(
      "PRICE_NOT_FOUND",
      `Missing Stripe prices ${missing.join(", ")}: run the catalog sync`,
    );
  }
  return keys
    .map((key) => data.find((price) => price.lookup_key === key))
    .filter((p) => p !== undefined);
}

const lineItem = (price: Stripe.Price) =>
  price.recurring?.usage_type === "metered"
    ? { price: price.id }
    : { price: price.id, quantity: 1 };

export interface CheckoutInput {
  organizationId: string;
  planKey: string;
  interval: Interval;
  successUrl: string;
  cancelUrl: string;
  email?: string;
}

export async function createCheckoutSession(
  deps: StripeDeps,
  input: CheckoutInput,
): Promise<{ id: string; url: string }> {
  const plan = purchasablePlan(deps.catalog, input.planKey, input.interval);
  const [customer, prices] = await Promise.all([
    ensureStripeCustomer(deps, input.organizationId, input.email ? { email: input.email } : {}),
    pricesFor(deps.stripe, plan, input.interval),
  ]);
  const metadata = { organizationId: input.organizationId, plinth_plan: plan.key };
  const session = await deps.stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: input.organizationId,
    line_items: prices.map(lineItem),
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    metadata,
    subscription_data: {
      metadata,
      ...(plan.trialDays ? { trial_period_days: plan.trialDays } : {}),
    },
  });
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
  return { id: session.id, url: session.url };
}

export async function createPortalSession(
  deps: StripeDeps,
  input: { organizationId: string; returnUrl: string },
): Promise<{ url: string }> {
  const customer = await ensureStripeCustomer(deps, input.organizationId);
  const session = await deps.stripe.billingPortal.sessions.create({
    customer,
    return_url: input.returnUrl,
  });
  return { url: session.url };
}

export async function currentSubscription(deps: StripeDeps, organizationId: string) {
  const row = await deps.db.system.subscription.findUnique({
    where: { organizationId },
    include: { organization: { select: { stripeCustomerId: true } } },
  });
  const customerId = row?.organization.stripeCustomerId;
  if (!row?.stripeSubscriptionId || !customerId) {
    throw new BillingError("NO_SUBSCRIPTION", "The organization has no Stripe subscription");
  }
  const subscription = stripeSubscriptionSchema.parse(
    await deps.stripe.subscriptions.retrieve(row.stripeSubscriptionId),
  );
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired") {
    throw new BillingError("NO_SUBSCRIPTION", "The organization's subscription has ended");
  }
  return { subscription, customerId, planKey: row.planKey };
}

export interface PlanChangeInput {
  organizationId: string;
  planKey: string;
  interval: Interval;
  /** Unix seconds; pass the preview's value to `changePlan` so the charge matches it. */
  prorationDate?: number;
}

interface PlanChange {
  customerId: string;
  subscriptionId: string;
  items: Stripe.SubscriptionUpdateParams.Item[];
  direction: "upgrade" | "downgrade";
  prorationBehavior: "always_invoice" | "create_prorations";
  prorationDate: number;
  plan: Plan;
}

async function planChange(deps: StripeDeps, input: PlanChangeInput): Promise<PlanChange> {
  const plan = purchasablePlan(deps.catalog, input.planKey, input.interval);
  const [{ subscription, customerId, planKey }, prices] = await Promise.all([
    currentSubscription(deps, input.organizationId),
    pricesFor(deps.stripe, plan, input.interval),
  ]);
  const current = subscription.items.data;
  if (
    current.length === prices.length &&
    prices.every((price) => current.some((item) => item.price.id === price.id))
  ) {
    throw new BillingError("SAME_PLAN", `Already on ${plan.key} (${input.interval})`);
  }
  const items: Stripe.SubscriptionUpdateParams.Item[] = [];
  const remaining = [...current];
  for (const price of prices) {
    const kept = remaining.findIndex((item) => item.price.id === price.id);
    if (kept >= 0) {
      remaining.splice(kept, 1);
      continue;
    }
    const licensed = price.recurring?.usage_type !== "metered";
    const swap = licensed
      ? remaining.findIndex((item) => item.price.recurring?.usage_type === "licensed")
      : -1;
    const swapped = swap >= 0 ? remaining.splice(swap, 1)[0] : undefined;
    items.push(swapped ? { id: swapped.id, price: price.id, quantity: 1 } : lineItem(price));
  }
  for (const item of remaining) items.push({ id: item.id, deleted: true });

  const yearly = (p: Plan | undefined) => (p?.prices.year ?? 0) || (p?.prices.month ?? 0) * 12;
  const direction = yearly(plan) >= yearly(deps.catalog.getPlan(planKey)) ? "upgrade" : "downgrade";
  return {
    customerId,
    subscriptionId: subscription.id,
    items,
    direction,
    // Upgrades are charged now; downgrades leave a credit for the next invoice.
    prorationBehavior: direction === "upgrade" ? "always_invoice" : "create_prorations",
    prorationDate: input.prorationDate ?? Math.floor(nowOf(deps).getTime() / 1000),
    plan,
  };
}

export interface PlanChangePreview {
  planKey: string;
  interval: Interval;
  direction: "upgrade" | "downgrade";
  prorationDate: number;
  currency: string;
  /** What the preview invoice totals (cents; negative = credit). */
  amountDue: number;
  /** The proration lines alone (cents; negative = credit). */
  prorationAmount: number;
  lines: { description: string | null; amount: number; proration: boolean }[];
}

export async function previewPlanChange(
  deps: StripeDeps,
  input: PlanChangeInput,
): Promise<PlanChangePreview> {
  const change = await planChange(deps, input);
  const invoice = await deps.stripe.invoices.createPreview({
    customer: change.customerId,
    subscription: change.subscriptionId,
    subscription_details: {
      items: change.items,
      proration_behavior: change.prorationBehavior,
      proration_date: change.prorationDate,
    },
  });
  const lines = invoice.lines.data.map((line) => ({
    description: line.description,
    amount: line.amount,
    proration:
      line.parent?.subscription_item_details?.proration ??
      line.parent?.invoice_item_details?.proration ??
      false,
  }));
  return {
    planKey: change.plan.key,
    interval: input.interval,
    direction: change.direction,
    prorationDate: change.prorationDate,
    currency: invoice.currency,
    amountDue: invoice.amount_due,
    prorationAmount: lines
      .filter((line) => line.proration)
      .reduce((sum, line) => sum + line.amount, 0),
    lines,
  };
}

export async function changePlan(
  deps: StripeDeps,
  input: PlanChangeInput,
): Promise<CustomerSyncResult> {
  const change = await planChange(deps, input);
  await deps.stripe.subscriptions.update(change.subscriptionId, {
    items: change.items,
    proration_behavior: change.prorationBehavior,
    proration_date: change.prorationDate,
    metadata: { plinth_plan: change.plan.key },
  });
  return syncStripeCustomer(deps, {
    organizationId: input.organizationId,
    customerId: change.customerId,
  });
}

async function setCancelAtPeriodEnd(deps: StripeDeps, organizationId: string, cancel: boolean) {
  const { subscription, customerId } = await currentSubscription(deps, organizationId);
  await deps.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: cancel });
  return syncStripeCustomer(deps, { organizationId, customerId });
}

export const cancelSubscriptionAtPeriodEnd = (deps: StripeDeps, organizationId: string) =>
  setCancelAtPeriodEnd(deps, organizationId, true);
export const resumeSubscription = (deps: StripeDeps, organizationId: string) =>
  setCancelAtPeriodEnd(deps, organizationId, false);

/** Ends the subscription at once (Stripe: subscriptions.cancel, no proration credit). */
export async function cancelSubscriptionNow(deps: StripeDeps, organizationId: string) {
  const { subscription, customerId } = await currentSubscription(deps, organizationId);
  await deps.stripe.subscriptions.cancel(subscription.id);
  return syncStripeCustomer(deps, { organizationId, customerId });
}
