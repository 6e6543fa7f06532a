// The billing domain facade the tRPC router calls. Provider-agnostic: with a Stripe client
// everything goes through Stripe (checkout, portal, subscription updates); without one the
// local provider activates plans immediately behind a clearly marked test-mode checkout page.
import type Stripe from "stripe";
import type { Catalog } from "./catalog.ts";
import {
  resolveEntitlements,
  type EntitlementStatus,
  type SubscriptionStatusValue,
} from "./entitlements.ts";
import { listInvoices as listStoredInvoices, type InvoiceSummary } from "./invoices.ts";
import {
  cancelLocally,
  cancelLocallyNow,
  changePlanLocally,
  deleteLocalCustomer,
  LocalBillingError,
  previewLocalPlanChange,
  resumeLocally,
} from "./local/provider.ts";
import {
  BillingError,
  cancelSubscriptionAtPeriodEnd,
  cancelSubscriptionNow,
  changePlan as changeStripePlan,
  createCheckoutSession,
  createPortalSession,
  previewPlanChange as previewStripePlanChange,
  purchasablePlan,
  resumeSubscription,
  type PlanChangePreview,
} from "./stripe/checkout.ts";
import type { BillingRuntime } from "./stripe/client.ts";
import type { BillingDb } from "./stripe/deps.ts";
import type { Interval } from "./stripe/prices.ts";
import type { BillingProvider, BillingProviderName, ProviderCustomer } from "./provider.ts";
import { deleteStripeCustomer } from "./stripe/customers.ts";
import type { Razorpay } from "./razorpay/client.ts";
import type { SubscriptionItemsChange, SubscriptionItemsInput } from "./items.ts";
import { previewLocalItems, setLocalItems } from "./local/items.ts";
import { previewStripeItems, setStripeItems } from "./stripe/items.ts";
import { cancelRazorpaySubscriptions, razorpayBillingProvider } from "./razorpay/provider.ts";

export { BillingError, LocalBillingError, type InvoiceSummary };

export interface BillingServiceDeps {
  db: BillingDb;
  /** The product's plans. */
  catalog: Catalog;
  /** null: the local provider. */
  stripe: Stripe | null;
  /** Set (and stripe null) when Razorpay bills: every operation goes to it. */
  razorpay?: Razorpay | null;
  now?: () => Date;
  pastDueGraceDays?: number;
  /** Where the web app's test-mode checkout page lives (local provider). */
  localCheckoutPath?: string;
}

/**
 * The facade's dependencies from a billing runtime (a request scope's, or the worker's):
 * the runtime's providers and grace days, with the caller's database, catalog and clock.
 */
export function serviceDepsFor(
  runtime: Omit<BillingRuntime, "appUrl">,
  base: { db: BillingDb; catalog: Catalog; now: () => Date },
): BillingServiceDeps {
  return {
    ...base,
    stripe: runtime.stripe,
    razorpay: runtime.razorpay ?? null,
    pastDueGraceDays: runtime.pastDueGraceDays,
  };
}

type Provider = BillingProviderName;
/** The Razorpay provider when it is the configured one (dispatched before Stripe/local). */
function razorpayOf(deps: BillingServiceDeps): BillingProvider | null {
  if (deps.stripe || !deps.razorpay) return null;
  return razorpayBillingProvider({
    db: deps.db,
    razorpay: deps.razorpay,
    catalog: deps.catalog,
    ...(deps.now ? { now: deps.now } : {}),
  });
}
const now = (deps: BillingServiceDeps) => deps.now?.() ?? new Date();
const stripeDeps = (deps: BillingServiceDeps, stripe: Stripe) => ({
  db: deps.db,
  stripe,
  catalog: deps.catalog,
  ...(deps.now ? { now: deps.now } : {}),
});

export async function startCheckout(
  deps: BillingServiceDeps,
  input: {
    organizationId: string;
    planKey: string;
    interval: Interval;
    successUrl: string;
    cancelUrl: string;
    email?: string;
  },
): Promise<{ provider: Provider; url: string }> {
  purchasablePlan(deps.catalog, input.planKey, input.interval);
  const razorpay = razorpayOf(deps);
  if (razorpay) return { provider: razorpay.name, ...(await razorpay.startCheckout(input)) };
  if (deps.stripe) {
    const session = await createCheckoutSession(stripeDeps(deps, deps.stripe), input);
    return { provider: "stripe", url: session.url };
  }
  const params = new URLSearchParams({
    plan: input.planKey,
    interval: input.interval,
    returnTo: input.successUrl,
    organization: input.organizationId,
  });
  return {
    provider: "local",
    url: `${deps.localCheckoutPath ?? "/billing/test-checkout"}?${params.toString()}`,
  };
}

export async function openPortal(
  deps: BillingServiceDeps,
  input: { organizationId: string; returnUrl: string },
): Promise<{ provider: Provider; url: string | null }> {
  const razorpay = razorpayOf(deps);
  if (razorpay) return { provider: razorpay.name, ...(await razorpay.openPortal(input)) };
  if (!deps.stripe) return { provider: "local", url: null };
  const session = await createPortalSession(stripeDeps(deps, deps.stripe), input);
  return { provider: "stripe", url: session.url };
}

export async function previewPlanChange(
  deps: BillingServiceDeps,
  input: { organizationId: string; planKey: string; interval: Interval },
): Promise<PlanChangePreview & { provider: Provider }> {
  const razorpay = razorpayOf(deps);
  if (razorpay) return { provider: razorpay.name, ...(await razorpay.previewPlanChange(input)) };
  if (deps.stripe) {
    return {
      provider: "stripe",
      ...(await previewStripePlanChange(stripeDeps(deps, deps.stripe), input)),
    };
  }
  const change = await previewLocalPlanChange(
    deps.db,
    deps.catalog,
    input.organizationId,
    input.planKey,
    input.interval,
    now(deps),
  );
  return {
    provider: "local",
    planKey: input.planKey,
    interval: input.interval,
    direction: change.direction,
    prorationDate: Math.floor(now(deps).getTime() / 1000),
    currency: "usd",
    amountDue: change.amountDue,
    prorationAmount: change.prorationAmount,
    lines: change.lines,
  };
}

export async function changePlan(
  deps: BillingServiceDeps,
  input: { organizationId: string; planKey: string; interval: Interval; prorationDate?: number },
): Promise<{ provider: Provider }> {
  const razorpay = razorpayOf(deps);
  if (razorpay) {
    await razorpay.changePlan(input);
    return { provider: razorpay.name };
  }
  if (deps.stripe) {
    await changeStripePlan(stripeDeps(deps, deps.stripe), input);
    return { provider: "stripe" };
  }
  await changePlanLocally(
    deps.db,
    deps.catalog,
    input.organizationId,
    input.planKey,
    input.interval,
    now(deps),
  );
  return { provider: "local" };
}

/** What setting the subscription's items would cost now (nothing changes). */
export async function previewSubscriptionItems(
  deps: BillingServiceDeps,
  input: SubscriptionItemsInput,
): Promise<SubscriptionItemsChange> {
  const razorpay = razorpayOf(deps);
  if (razorpay) return razorpay.previewSubscriptionItems(input);
  if (deps.stripe) return previewStripeItems(stripeDeps(deps, deps.stripe), input);
  return previewLocalItems(deps.db, deps.catalog, input, now(deps));
}

/** Sets the subscription's priced items, prorated (docs/billing.md, "Subscription items"). */
export async function setSubscriptionItems(
  deps: BillingServiceDeps,
  input: SubscriptionItemsInput,
): Promise<SubscriptionItemsChange> {
  const razorpay = razorpayOf(deps);
  if (razorpay) return razorpay.setSubscriptionItems(input);
  if (deps.stripe) return setStripeItems(stripeDeps(deps, deps.stripe), input);
  return setLocalItems(deps.db, deps.catalog, input, now(deps));
}

export async function cancelAtPeriodEnd(
  deps: BillingServiceDeps,
  input: { organizationId: string },
) {
  const razorpay = razorpayOf(deps);
  if (razorpay) await razorpay.cancelAtPeriodEnd(input.organizationId);
  else if (deps.stripe)
    await cancelSubscriptionAtPeriodEnd(stripeDeps(deps, deps.stripe), input.organizationId);
  else await cancelLocally(deps.db, input.organizationId);
  return getBillingOverview(deps, input);
}

/** Ends the subscription now (the operator console's immediate cancel). */
export async function cancelNow(deps: BillingServiceDeps, input: { organizationId: string }) {
  const razorpay = razorpayOf(deps);
  if (razorpay) await razorpay.cancelNow(input.organizationId);
  else if (deps.stripe)
    await cancelSubscriptionNow(stripeDeps(deps, deps.stripe), input.organizationId);
  else await cancelLocallyNow(deps.db, input.organizationId, now(deps));
  return getBillingOverview(deps, input);
}

/**
 * Deletes a deleted organization's customer at the provider that billed it (the job's
 * payload names it; the organization's rows are gone). Idempotent. A provider this process
 * has no client for is an error, so the job retries instead of dropping the deletion.
 */
export async function deleteCustomer(
  deps: Pick<BillingServiceDeps, "db" | "stripe" | "razorpay">,
  input: ProviderCustomer & { provider: BillingProviderName; organizationId: string },
): Promise<{ alreadyGone: boolean }> {
  if (input.provider === "stripe") {
    if (!deps.stripe) throw new BillingError("UNSUPPORTED", "No Stripe client configured");
    if (!input.customerId) return { alreadyGone: true };
    return deleteStripeCustomer(deps.stripe, input.customerId);
  }
  if (input.provider === "razorpay") {
    if (!deps.razorpay) throw new BillingError("UNSUPPORTED", "No Razorpay client configured");
    return cancelRazorpaySubscriptions({ razorpay: deps.razorpay }, input);
  }
  return deleteLocalCustomer(deps.db, input.organizationId);
}

export async function resume(deps: BillingServiceDeps, input: { organizationId: string }) {
  const razorpay = razorpayOf(deps);
  if (razorpay) await razorpay.resume(input.organizationId);
  else if (deps.stripe)
    await resumeSubscription(stripeDeps(deps, deps.stripe), input.organizationId);
  else await resumeLocally(deps.db, input.organizationId);
  return getBillingOverview(deps, input);
}

/** The organization's invoices, newest first (mirrored from Stripe, or test-mode ones). */
export function listInvoices(
  deps: BillingServiceDeps,
  input: { organizationId: string; limit?: number },
): Promise<InvoiceSummary[]> {
  return listStoredInvoices(deps.db, input);
}

export interface PaymentMethodSummary {
  provider: Provider;
  /** The default card (Stripe), or null when none is on file (or for the local provider). */
  card: { brand: string; last4: string; expMonth: number; expYear: number } | null;
  /** Payment methods are managed in Stripe's billing portal. */
  portalAvailable: boolean;
}

export async function getPaymentMethods(
  deps: BillingServiceDeps,
  input: { organizationId: string },
): Promise<PaymentMethodSummary> {
  if (razorpayOf(deps)) return { provider: "razorpay", card: null, portalAvailable: false };
  if (!deps.stripe) return { provider: "local", card: null, portalAvailable: false };
  const org = await deps.db.system.organization.findUnique({
    where: { id: input.organizationId },
    select: { stripeCustomerId: true },
  });
  if (!org?.stripeCustomerId) return { provider: "stripe", card: null, portalAvailable: true };
  const customer = await deps.stripe.customers.retrieve(org.stripeCustomerId);
  const preferred =
    "deleted" in customer && customer.deleted
      ? null
      : (() => {
          const value = (customer as Stripe.Customer).invoice_settings?.default_payment_method;
          return typeof value === "string" ? value : (value?.id ?? null);
        })();
  const { data } = await deps.stripe.customers.listPaymentMethods(org.stripeCustomerId, {
    limit: 10,
  });
  const method = data.find((pm) => pm.id === preferred) ?? data.find((pm) => pm.card) ?? null;
  const card = method?.card
    ? {
        brand: method.card.brand,
        last4: method.card.last4,
        expMonth: method.card.exp_month,
        expYear: method.card.exp_year,
      }
    : null;
  return { provider: "stripe", card, portalAvailable: true };
}

export interface BillingOverview {
  provider: Provider;
  plan: { key: string; name: string };
  subscriptionStatus: SubscriptionStatusValue | null;
  status: EntitlementStatus;
  access: "full" | "read_only";
  interval: "month" | "year" | null;
  /** Next renewal; null when it ends at the period end instead. */
  renewsAt: Date | null;
  cancelAtPeriodEnd: boolean;
  /** A paid plan that can be changed in place (else: checkout). */
  hasPaidSubscription: boolean;
  pastDueSince: Date | null;
  endsAt: Date | null;
  trialEndsAt: Date | null;
  graceEndsAt: Date | null;
  periodStart: Date;
  usage: {
    meter: string;
    used: number;
    included: number | null;
    overage: number;
    metered: boolean;
  }[];
}

export async function getBillingOverview(
  deps: BillingServiceDeps,
  input: { organizationId: string },
): Promise<BillingOverview> {
  const at = now(deps);
  const org = await deps.db.system.organization.findUniqueOrThrow({
    where: { id: input.organizationId },
    select: { trialEndsAt: true, createdAt: true, subscription: true },
  });
  const subscription = org.subscription;
  const entitlements = resolveEntitlements(deps.catalog, {
    organization: { trialEndsAt: org.trialEndsAt, createdAt: org.createdAt },
    subscription,
    now: at,
    pastDueGraceDays: deps.pastDueGraceDays ?? 7,
  });
  const counters = await deps.db.system.usageCounter.findMany({
    where: {
      organizationId: input.organizationId,
      periodStart: { gte: entitlements.periodStart, lte: at },
    },
    orderBy: { periodStart: "desc" },
  });
  // The product's meters only: a disabled module's counters are not shown.
  const usage = Object.entries(entitlements.quotas).map(([meter, quota]) => {
    const used = Number(counters.find((counter) => counter.meter === meter)?.quantity ?? 0n);
    const overage = quota.included === null ? 0 : Math.max(0, used - quota.included);
    return {
      meter,
      used,
      included: quota.included,
      overage,
      metered: quota.overageMicroCents !== undefined,
    };
  });
  const ending = subscription?.cancelAtPeriodEnd ?? false;
  return {
    provider:
      subscription?.provider === "STRIPE" || deps.stripe
        ? "stripe"
        : subscription?.provider === "RAZORPAY" || razorpayOf(deps)
          ? "razorpay"
          : "local",
    plan: { key: entitlements.plan.key, name: entitlements.plan.name },
    subscriptionStatus: subscription?.status ?? null,
    status: entitlements.status,
    access: entitlements.access,
    interval:
      subscription?.interval === "YEAR"
        ? "year"
        : subscription?.interval === "MONTH"
          ? "month"
          : null,
    renewsAt: ending ? null : (subscription?.currentPeriodEnd ?? null),
    cancelAtPeriodEnd: ending,
    hasPaidSubscription:
      !!subscription &&
      subscription.planKey !== "trial" &&
      ["ACTIVE", "PAST_DUE", "TRIALING", "UNPAID"].includes(subscription.status),
    pastDueSince: subscription?.pastDueSince ?? null,
    endsAt: ending ? (subscription?.currentPeriodEnd ?? null) : null,
    trialEndsAt: entitlements.trialEndsAt,
    graceEndsAt: entitlements.graceEndsAt,
    periodStart: entitlements.periodStart,
    usage,
  };
}
