// Billing flows of a request: @plinth/billing's provider-agnostic facade (Stripe or the local
// provider) bound to the scope's billing runtime and the product's catalog, its errors mapped
// to the AppError catalogue, and an audit entry for every change. Reads are open to every
// member; changes are admin/owner only and allowed while read-only (a restricted
// organization can always pay) — the tRPC router declares both.
import type { AuditChanges } from "@plinth/db";
import { sellableAsPlan } from "@plinth/billing/catalog";
import { activatePlanLocally } from "@plinth/billing/local";
import { dailyUsage } from "@plinth/billing/daily-usage";
import * as billing from "@plinth/billing/service";
import { OrganizationNotFoundError } from "@plinth/billing/stripe/customers";
import { planIntervals, type Interval } from "@plinth/billing/stripe/prices";
import { listSubscriptionItems, type SubscriptionItemsChange } from "@plinth/billing/items";
import { classifyProviderError } from "@plinth/billing/provider-errors";
import { previewUpcomingInvoice, type UpcomingInvoice } from "@plinth/billing/upcoming";
import type { UsageLinesSource } from "@plinth/billing/usage-lines";
import type { PrismaClient } from "@plinth/db";
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import * as z from "zod/mini";
import { subscriptionItemsInputFor } from "../contracts/billing.ts";
import { requireRole, type MemberScope, type OrgScope, type RequestScope } from "../scope.ts";

/** The billing tables are the provider's (webhooks, jobs): read and written as the system. */
const billingDb = (scope: OrgScope) => ({
  system: scope.asSystem("billing: subscriptions and invoices of this organization"),
});

/**
 * The billing facade's dependencies for a request: the scope's provider and the product's
 * catalog. `db` is the caller's system client (the operator console passes its own).
 */
export function billingServiceDeps(
  scope: RequestScope,
  db: billing.BillingServiceDeps["db"],
): billing.BillingServiceDeps {
  return billing.serviceDepsFor(scope.billing(), {
    db,
    catalog: scope.product.catalog,
    now: () => scope.clock.now(),
  });
}

const serviceDeps = (scope: OrgScope) => billingServiceDeps(scope, billingDb(scope));

/**
 * Billing failures become typed refusals: our own preconditions and a provider's refusal
 * (state, card, validation) are INVALID_STATE, a provider outage is PROVIDER_UNAVAILABLE (503)
 * — never a 500 with the SDK's text.
 */
export async function mapBillingErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof billing.BillingError && error.code === "INVALID_ITEMS") {
      throw new AppError({ code: "INVALID_INPUT", field: "items", reason: error.message });
    }
    if (error instanceof billing.BillingError || error instanceof billing.LocalBillingError) {
      throw new AppError({ code: "INVALID_STATE", detail: error.message });
    }
    if (error instanceof OrganizationNotFoundError) throw notFound("Organization");
    const failure = classifyProviderError(error);
    if (failure?.kind === "refused") {
      throw new AppError({ code: "INVALID_STATE", detail: failure.message }, undefined, {
        cause: error,
      });
    }
    if (failure?.kind === "unavailable") {
      throw new AppError({ code: "PROVIDER_UNAVAILABLE", provider: failure.provider }, undefined, {
        cause: error,
      });
    }
    throw error;
  }
}

async function audit(scope: OrgScope, action: string, changes: AuditChanges) {
  await scope.db.transaction((tx) =>
    recordAudit(tx, scope, {
      organizationId: scope.organization.id,
      action,
      targetType: "subscription",
      targetId: scope.organization.id,
      changes,
    }),
  );
}

/** The plans the billing page offers, from the product's catalog. */
export function purchasablePlans(scope: OrgScope) {
  return scope.product.catalog.plans.filter(sellableAsPlan).map((plan) => ({
    key: plan.key,
    name: plan.name,
    description: plan.description,
    prices: plan.prices,
    intervals: planIntervals(plan),
    limits: plan.limits,
    quotas: plan.quotas,
    features: plan.features,
  }));
}

/**
 * The paid plan chosen at sign-up whose checkout has not completed yet (the sign-up checkout
 * step offers it), or null. Read under the organization's RLS transaction.
 */
export async function signUpPlan(scope: OrgScope) {
  const row = await scope.db.transaction((tx) =>
    tx.organization.findUnique({
      where: { id: scope.organization.id },
      select: { signUpPlanKey: true },
    }),
  );
  const plan = row?.signUpPlanKey ? scope.product.catalog.getPlan(row.signUpPlanKey) : undefined;
  if (!plan?.purchasable) return null;
  return { key: plan.key, name: plan.name, intervals: planIntervals(plan), prices: plan.prices };
}

export async function overview(scope: OrgScope) {
  const data = await billing.getBillingOverview(serviceDeps(scope), {
    organizationId: scope.organization.id,
  });
  return {
    signUpPlan: await signUpPlan(scope),
    ...data,
    // Each meter with what its module calls it (the product's meters only).
    usage: data.usage.map((row) => ({
      ...row,
      label: scope.product.meters[row.meter]?.description ?? row.meter,
    })),
    canManage: scope.role === "OWNER" || scope.role === "ADMIN",
    pastDueGraceDays: scope.billing().pastDueGraceDays,
    // The local provider only (neither Stripe nor Razorpay configured).
    testMode: scope.billing().stripe === null && !scope.billing().razorpay,
    plans: purchasablePlans(scope),
  };
}

/**
 * Each meter's usage per UTC day over [from, to] (default: the current billing period up to
 * now), with the period's included amount, read under the organization's RLS transaction.
 * Only the product's meters (a disabled module's meters are not asked for).
 */
export async function dailyUsageSeries(
  scope: OrgScope,
  input: { meters?: string[] | undefined; from?: Date | undefined; to?: Date | undefined },
) {
  const { entitlements } = scope;
  const to = input.to ?? scope.clock.now();
  // A period is at most a year (DAILY_USAGE_MAX_DAYS covers it); the input schema bounds the rest.
  const from = input.from ?? entitlements.periodStart;
  const meters = input.meters ?? [...scope.product.catalog.meterKeys];
  const series = await scope.db.transaction(async (tx) => {
    const result = [];
    for (const meter of meters) {
      const points = await dailyUsage(tx, {
        organizationId: scope.organization.id,
        meter,
        from,
        to,
      });
      result.push({
        meter,
        label: scope.product.meters[meter]?.description ?? meter,
        // A plan without a quota for the meter includes none of it.
        included: entitlements.quotas[meter]?.included ?? 0,
        total: points.reduce((sum, point) => sum + point.quantity, 0),
        points,
      });
    }
    return result;
  });
  return { from, to, series };
}

/**
 * The product's invoice-line sources: for a meter, the module that declares it and reports
 * its usage as lines (the API catalog's endpoints), through the system client.
 */
export function productUsageLines(
  product: RequestScope["product"],
  db: PrismaClient,
): UsageLinesSource {
  return async (input) => {
    const owner = product.modules.find((module) => input.meter in module.meters);
    return owner?.usageLines ? owner.usageLines(db, input) : [];
  };
}

/**
 * The upcoming invoice (what the renewal closing this period will charge): recurring items and
 * the period's usage billed at the endpoints' prices, one line per endpoint. On Stripe the
 * usage lines are made pending invoice items first and Stripe's own preview is read. Null
 * without a paid subscription. Any member.
 */
export async function upcomingInvoice(scope: OrgScope): Promise<UpcomingInvoice | null> {
  const db = billingDb(scope);
  const runtime = scope.billing();
  const invoice = await mapBillingErrors(() =>
    previewUpcomingInvoice(
      {
        db,
        catalog: scope.product.catalog,
        stripe: runtime.stripe,
        razorpay: !!runtime.razorpay,
        now: scope.clock.now(),
        usageLines: productUsageLines(scope.product, db.system),
      },
      scope.organization.id,
    ),
  );
  // Only the answer's own fields leave.
  return invoice
    ? {
        provider: invoice.provider,
        currency: invoice.currency,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        lines: invoice.lines.map(({ kind, description, amount, quantity, calls, units }) => ({
          kind,
          description,
          amount,
          quantity,
          calls,
          units,
        })),
        usageAmount: invoice.usageAmount,
        total: invoice.total,
      }
    : null;
}

export function invoices(scope: OrgScope, input: { limit: number }) {
  return billing.listInvoices(serviceDeps(scope), {
    organizationId: scope.organization.id,
    limit: input.limit,
  });
}

export function paymentMethods(scope: OrgScope) {
  return mapBillingErrors(() =>
    billing.getPaymentMethods(serviceDeps(scope), { organizationId: scope.organization.id }),
  );
}

const billingPath = (scope: OrgScope, outcome?: string) =>
  `/o/${encodeURIComponent(scope.organization.slug)}/billing${outcome ? `?checkout=${outcome}` : ""}`;

export async function startCheckout(
  scope: MemberScope,
  input: { planKey: string; interval: Interval },
) {
  const deps = serviceDeps(scope);
  const organizationId = scope.organization.id;
  const current = await billing.getBillingOverview(deps, { organizationId });
  if (current.hasPaidSubscription && current.subscriptionStatus !== "CANCELED") {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "This organization already has a plan: change it instead",
    });
  }
  // Stripe needs absolute URLs; the local test-mode page only accepts same-site paths.
  const base = deps.stripe ? scope.billing().appUrl.replace(/\/$/, "") : "";
  const started = await mapBillingErrors(() =>
    billing.startCheckout(deps, {
      organizationId,
      planKey: input.planKey,
      interval: input.interval,
      successUrl: `${base}${billingPath(scope, "success")}`,
      cancelUrl: `${base}${billingPath(scope, "canceled")}`,
      email: scope.actor.user.email,
    }),
  );
  await audit(scope, "billing.checkout_started", {
    planKey: { to: input.planKey },
    interval: { to: input.interval },
    provider: { to: started.provider },
  });
  return started;
}

/** The local provider's test-mode checkout: activates the plan at once (nothing charged). */
export async function completeTestCheckout(
  scope: OrgScope,
  input: { planKey: string; interval: Interval },
) {
  if (scope.billing().stripe) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Test-mode checkout is only available without Stripe",
    });
  }
  const db = billingDb(scope);
  const organizationId = scope.organization.id;
  const before = await db.system.subscription.findUnique({ where: { organizationId } });
  const subscription = await mapBillingErrors(() =>
    activatePlanLocally(
      db,
      scope.product.catalog,
      organizationId,
      input.planKey,
      input.interval,
      scope.clock.now(),
    ),
  );
  await audit(scope, "billing.plan_activated", {
    planKey: { from: before?.planKey ?? null, to: input.planKey },
    status: { from: before?.status ?? null, to: subscription.status },
    interval: { to: input.interval },
    provider: { to: "local" },
  });
  return { planKey: subscription.planKey, status: subscription.status };
}

export function previewPlanChange(scope: OrgScope, input: { planKey: string; interval: Interval }) {
  return mapBillingErrors(() =>
    billing.previewPlanChange(serviceDeps(scope), {
      organizationId: scope.organization.id,
      ...input,
    }),
  );
}

export async function changePlan(
  scope: OrgScope,
  input: { planKey: string; interval: Interval; prorationDate?: number | undefined },
) {
  const organizationId = scope.organization.id;
  const before = await billingDb(scope).system.subscription.findUnique({
    where: { organizationId },
  });
  const result = await mapBillingErrors(() =>
    billing.changePlan(serviceDeps(scope), {
      organizationId,
      planKey: input.planKey,
      interval: input.interval,
      ...(input.prorationDate !== undefined ? { prorationDate: input.prorationDate } : {}),
    }),
  );
  await audit(scope, "billing.plan_changed", {
    planKey: { from: before?.planKey ?? null, to: input.planKey },
    interval: { from: before?.interval?.toLowerCase() ?? null, to: input.interval },
  });
  const plan = scope.product.catalog.getPlan(input.planKey);
  return { ...result, plan: { key: input.planKey, name: plan?.name ?? input.planKey } };
}

export async function cancel(scope: OrgScope) {
  const result = await mapBillingErrors(() =>
    billing.cancelAtPeriodEnd(serviceDeps(scope), { organizationId: scope.organization.id }),
  );
  await audit(scope, "billing.subscription_canceled", {
    cancelAtPeriodEnd: { from: false, to: true },
    endsAt: { to: result.endsAt },
  });
  return result;
}

export async function resume(scope: OrgScope) {
  const result = await mapBillingErrors(() =>
    billing.resume(serviceDeps(scope), { organizationId: scope.organization.id }),
  );
  await audit(scope, "billing.subscription_resumed", {
    cancelAtPeriodEnd: { from: true, to: false },
  });
  return result;
}

export async function openPortal(scope: OrgScope) {
  const deps = serviceDeps(scope);
  const returnUrl = `${scope.billing().appUrl.replace(/\/$/, "")}${billingPath(scope)}`;
  const portal = await mapBillingErrors(() =>
    billing.openPortal(deps, { organizationId: scope.organization.id, returnUrl }),
  );
  await audit(scope, "billing.portal_opened", { provider: { to: portal.provider } });
  return portal;
}

/** What modules and the router pass: the wanted items, all of them, and an optional date. */
export interface SubscriptionItemsRequest {
  items: { key: string; quantity: number }[];
  prorationDate?: number | undefined;
}

/** The answer: the items and the proration (minor units), an explicit shape. */
export type SubscriptionItemsAnswer = SubscriptionItemsChange;

/** The input checked against the product's catalog (modules call this service directly). */
function itemsInput(scope: OrgScope, input: SubscriptionItemsRequest) {
  requireRole(scope, "ADMIN");
  const parsed = z.safeParse(subscriptionItemsInputFor(scope.product.catalog.planKeys), input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError({
      code: "INVALID_INPUT",
      field: issue?.path.join(".") || "items",
      reason: issue?.message ?? "Invalid items",
    });
  }
  return {
    organizationId: scope.organization.id,
    items: parsed.data.items,
    ...(parsed.data.prorationDate !== undefined
      ? { prorationDate: parsed.data.prorationDate }
      : {}),
  };
}

/** Only the answer's own fields leave (never a provider row or id). Modules answer with it too. */
export const itemsAnswer = (change: SubscriptionItemsChange): SubscriptionItemsAnswer => ({
  provider: change.provider,
  applied: change.applied,
  interval: change.interval,
  prorationDate: change.prorationDate,
  currency: change.currency,
  items: change.items.map(({ key, name, quantity, unitAmount }) => ({
    key,
    name,
    quantity,
    unitAmount,
  })),
  changes: change.changes.map(({ key, from, to }) => ({ key, from, to })),
  lines: change.lines.map(({ description, amount, proration, itemKey, quantity }) => ({
    description,
    amount,
    proration,
    itemKey,
    quantity,
  })),
  prorationAmount: change.prorationAmount,
  amountDueNow: change.amountDueNow,
});

/**
 * What setting the subscription's items would cost now (the proration preview); nothing
 * changes. Org admins/owners. Pass its `prorationDate` to setSubscriptionItems.
 */
export async function previewSubscriptionItems(
  scope: OrgScope,
  input: SubscriptionItemsRequest,
): Promise<SubscriptionItemsAnswer> {
  const request = itemsInput(scope, input);
  return itemsAnswer(
    await mapBillingErrors(() => billing.previewSubscriptionItems(serviceDeps(scope), request)),
  );
}

/**
 * Sets the organization's subscription items (a workspace per app plan, a bundle): added,
 * removed and re-counted items are prorated — Stripe: subscription items with
 * proration_behavior create_prorations; local provider: computed and invoiced in test mode;
 * Razorpay: refused (INVALID_STATE). Org admins/owners; audited as billing.items_changed.
 */
export async function setSubscriptionItems(
  scope: OrgScope,
  input: SubscriptionItemsRequest,
): Promise<SubscriptionItemsAnswer> {
  const request = itemsInput(scope, input);
  const change = await mapBillingErrors(() =>
    billing.setSubscriptionItems(serviceDeps(scope), request),
  );
  if (change.changes.length > 0) {
    await audit(scope, "billing.items_changed", {
      items: {
        from: change.changes.map((c) => `${c.key}×${c.from}`).join(", "),
        to: change.changes.map((c) => `${c.key}×${c.to}`).join(", "),
      },
      prorationAmount: { to: change.prorationAmount },
    });
  }
  return itemsAnswer(change);
}

/** The subscription's items as stored (any member): key, name, quantity, unit price. */
export function subscriptionItems(scope: OrgScope) {
  return listSubscriptionItems(billingDb(scope), scope.product.catalog, scope.organization.id);
}
