// Billing flows of a request: @plinth/billing's provider-agnostic facade (Stripe or the local
// provider) bound to the scope's billing runtime and the product's catalog, its errors mapped
// to the AppError catalogue, and an audit entry for every change. Reads are open to every
// member; changes are admin/owner only and allowed while read-only (a restricted
// organization can always pay) — the tRPC router declares both.
import type { AuditChanges } from "@plinth/db";
import { activatePlanLocally } from "@plinth/billing/local";
import { dailyUsage } from "@plinth/billing/daily-usage";
import * as billing from "@plinth/billing/service";
import { OrganizationNotFoundError } from "@plinth/billing/stripe/customers";
import { planIntervals, type Interval } from "@plinth/billing/stripe/prices";
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import type { MemberScope, OrgScope } from "../scope.ts";

/** The billing tables are the provider's (webhooks, jobs): read and written as the system. */
const billingDb = (scope: OrgScope) => ({
  system: scope.asSystem("billing: subscriptions and invoices of this organization"),
});

function serviceDeps(scope: OrgScope): billing.BillingServiceDeps {
  const runtime = scope.billing();
  return {
    db: billingDb(scope),
    catalog: scope.product.catalog,
    stripe: runtime.stripe,
    razorpay: runtime.razorpay ?? null,
    now: () => scope.clock.now(),
    pastDueGraceDays: runtime.pastDueGraceDays,
  };
}

/** Provider errors become INVALID_STATE (a precondition the user can act on). */
async function mapBillingErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof billing.BillingError || error instanceof billing.LocalBillingError) {
      throw new AppError({ code: "INVALID_STATE", detail: error.message });
    }
    if (error instanceof OrganizationNotFoundError) throw notFound("Organization");
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
  return scope.product.catalog.plans
    .filter((plan) => plan.purchasable)
    .map((plan) => ({
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
