// Billing for the tRPC router: the provider-agnostic facade of @plinth/billing bound to this
// request's billing runtime (Stripe client or the local provider), its errors mapped to the
// AppError catalogue, and an audit entry for every change.
import { getPlan, METER_KEYS, PLANS, type MeterKey, type PlanKey } from "@plinth/billing";
import { dailyUsage } from "@plinth/billing/daily-usage";
import { activatePlanLocally } from "@plinth/billing/local";
import * as billing from "@plinth/billing/service";
import { planIntervals, type Interval } from "@plinth/billing/stripe/prices";
import { OrganizationNotFoundError } from "@plinth/billing/stripe/customers";
import type { AuditChanges } from "@plinth/db";
import { recordAudit } from "../audit.ts";
import { AppError, notFound } from "../errors.ts";
import type { OrgContext } from "../middleware/organization.ts";
import type { Context } from "../trpc.ts";

type BillingCtx = Pick<
  Context,
  "db" | "billing" | "now" | "user" | "ipAddress" | "requestId" | "config"
> &
  OrgContext & { tx: <T>(fn: (tx: Parameters<typeof recordAudit>[0]) => Promise<T>) => Promise<T> };

export function serviceDeps(
  ctx: Pick<Context, "db" | "billing" | "now" | "config">,
): billing.BillingServiceDeps {
  return {
    db: ctx.db,
    stripe: ctx.billing().stripe,
    now: ctx.now,
    pastDueGraceDays: ctx.config.pastDueGraceDays,
  };
}

/** Provider errors become INVALID_STATE (a precondition the user can act on). */
export async function mapBillingErrors<T>(fn: () => Promise<T>): Promise<T> {
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

async function audit(ctx: BillingCtx, action: string, changes: AuditChanges) {
  await ctx.tx((tx) =>
    recordAudit(tx, ctx, {
      organizationId: ctx.org.id,
      action,
      targetType: "subscription",
      targetId: ctx.org.id,
      changes,
    }),
  );
}

/** The plans the billing page offers, from the catalog. */
export function purchasablePlans() {
  return Object.values(PLANS)
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

export async function overview(ctx: BillingCtx) {
  const data = await billing.getBillingOverview(serviceDeps(ctx), { organizationId: ctx.org.id });
  return {
    ...data,
    canManage: ctx.org.role === "OWNER" || ctx.org.role === "ADMIN",
    pastDueGraceDays: ctx.config.pastDueGraceDays,
    testMode: ctx.billing().stripe === null,
    plans: purchasablePlans(),
  };
}

/**
 * Each meter's usage per UTC day over [from, to] (default: the current billing period up to
 * now), with the period's included amount, read under the organization's RLS transaction.
 */
export async function dailyUsageSeries(
  ctx: BillingCtx,
  input: { meters?: MeterKey[] | undefined; from?: Date | undefined; to?: Date | undefined },
) {
  const { entitlements } = ctx.org;
  const to = input.to ?? ctx.now();
  // A period is at most a year (DAILY_USAGE_MAX_DAYS covers it); the input schema bounds the rest.
  const from = input.from ?? entitlements.periodStart;
  const meters = input.meters ?? [...METER_KEYS];
  const series = await ctx.tx(async (tx) => {
    const result = [];
    for (const meter of meters) {
      const points = await dailyUsage(tx, { organizationId: ctx.org.id, meter, from, to });
      result.push({
        meter,
        included: entitlements.quotas[meter].included,
        total: points.reduce((sum, point) => sum + point.quantity, 0),
        points,
      });
    }
    return result;
  });
  return { from, to, series };
}

const billingPath = (ctx: BillingCtx, outcome?: string) =>
  `/o/${encodeURIComponent(ctx.org.slug)}/billing${outcome ? `?checkout=${outcome}` : ""}`;

export async function startCheckout(
  ctx: BillingCtx,
  input: { planKey: PlanKey; interval: Interval },
) {
  const deps = serviceDeps(ctx);
  const current = await billing.getBillingOverview(deps, { organizationId: ctx.org.id });
  if (current.hasPaidSubscription && current.subscriptionStatus !== "CANCELED") {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "This organization already has a plan: change it instead",
    });
  }
  // Stripe needs absolute URLs; the local test-mode page only accepts same-site paths.
  const base = deps.stripe ? ctx.billing().appUrl.replace(/\/$/, "") : "";
  const started = await mapBillingErrors(() =>
    billing.startCheckout(deps, {
      organizationId: ctx.org.id,
      planKey: input.planKey,
      interval: input.interval,
      successUrl: `${base}${billingPath(ctx, "success")}`,
      cancelUrl: `${base}${billingPath(ctx, "canceled")}`,
      ...(ctx.user?.email ? { email: ctx.user.email } : {}),
    }),
  );
  await audit(ctx, "billing.checkout_started", {
    planKey: { to: input.planKey },
    interval: { to: input.interval },
    provider: { to: started.provider },
  });
  return started;
}

/** The local provider's test-mode checkout: activates the plan at once (nothing charged). */
export async function completeTestCheckout(
  ctx: BillingCtx,
  input: { planKey: PlanKey; interval: Interval },
) {
  if (ctx.billing().stripe) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Test-mode checkout is only available without Stripe",
    });
  }
  const before = await ctx.db.system.subscription.findUnique({
    where: { organizationId: ctx.org.id },
  });
  const subscription = await mapBillingErrors(() =>
    activatePlanLocally(ctx.db, ctx.org.id, input.planKey, input.interval, ctx.now()),
  );
  await audit(ctx, "billing.plan_activated", {
    planKey: { from: before?.planKey ?? null, to: input.planKey },
    status: { from: before?.status ?? null, to: subscription.status },
    interval: { to: input.interval },
    provider: { to: "local" },
  });
  return { planKey: subscription.planKey, status: subscription.status };
}

export function previewPlanChange(
  ctx: BillingCtx,
  input: { planKey: PlanKey; interval: Interval },
) {
  return mapBillingErrors(() =>
    billing.previewPlanChange(serviceDeps(ctx), { organizationId: ctx.org.id, ...input }),
  );
}

export async function changePlan(
  ctx: BillingCtx,
  input: { planKey: PlanKey; interval: Interval; prorationDate?: number | undefined },
) {
  const before = await ctx.db.system.subscription.findUnique({
    where: { organizationId: ctx.org.id },
  });
  const result = await mapBillingErrors(() =>
    billing.changePlan(serviceDeps(ctx), {
      organizationId: ctx.org.id,
      planKey: input.planKey,
      interval: input.interval,
      ...(input.prorationDate !== undefined ? { prorationDate: input.prorationDate } : {}),
    }),
  );
  await audit(ctx, "billing.plan_changed", {
    planKey: { from: before?.planKey ?? null, to: input.planKey },
    interval: { from: before?.interval?.toLowerCase() ?? null, to: input.interval },
  });
  return {
    ...result,
    plan: { key: input.planKey, name: getPlan(input.planKey)?.name ?? input.planKey },
  };
}

export async function cancel(ctx: BillingCtx) {
  const result = await mapBillingErrors(() =>
    billing.cancelAtPeriodEnd(serviceDeps(ctx), { organizationId: ctx.org.id }),
  );
  await audit(ctx, "billing.subscription_canceled", {
    cancelAtPeriodEnd: { from: false, to: true },
    endsAt: { to: result.endsAt },
  });
  return result;
}

export async function resume(ctx: BillingCtx) {
  const result = await mapBillingErrors(() =>
    billing.resume(serviceDeps(ctx), { organizationId: ctx.org.id }),
  );
  await audit(ctx, "billing.subscription_resumed", {
    cancelAtPeriodEnd: { from: true, to: false },
  });
  return result;
}

export async function openPortal(ctx: BillingCtx) {
  const deps = serviceDeps(ctx);
  const returnUrl = `${ctx.billing().appUrl.replace(/\/$/, "")}${billingPath(ctx)}`;
  const portal = await mapBillingErrors(() =>
    billing.openPortal(deps, { organizationId: ctx.org.id, returnUrl }),
  );
  await audit(ctx, "billing.portal_opened", { provider: { to: portal.provider } });
  return portal;
}
