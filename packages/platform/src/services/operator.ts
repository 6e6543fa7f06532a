// The operator console's reads and actions (platform admins only: platformAdminProcedure).
// Cross-tenant by nature, so each goes through the system client; every action is audited on
// the platform log (organizationId null). Meters and plans are the active product's.
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { sellableAsPlan, type Catalog } from "@plinth/billing/catalog";
import { listSubscriptionItems } from "@plinth/billing/items";
import * as billing from "@plinth/billing/service";
import { planIntervals, type Interval } from "@plinth/billing/stripe/prices";
import type { AuditChanges, PrismaClient } from "@plinth/db";
import { listFailedJobs, queueStats, retryJob, type QueueStats } from "@plinth/jobs";
import type { UserScope } from "../scope.ts";
import { billingServiceDeps, mapBillingErrors } from "./billing.ts";

/** The operator console reads and acts across tenants: the privileged path, by design. */
const consoleDb = (scope: UserScope): PrismaClient =>
  scope.asSystem("operator console: platform admin, across tenants");

/** Subscription statuses that bring in money this period. */
const PAYING = ["ACTIVE", "PAST_DUE"] as const;

export interface PlatformOverview {
  organizations: number;
  users: { total: number; suspended: number; newLast30Days: number };
  /** Organizations per plan and subscription status ("NONE": trial without a subscription row). */
  subscriptions: { planKey: string; planName: string; status: string; count: number }[];
  /** Monthly recurring revenue from flat fees, in cents (yearly prices counted as 1/12). */
  mrrCents: number;
  /** Metered usage in the current calendar month, per meter of the product, all organizations. */
  usageThisMonth: Record<string, number>;
  /** Each meter's label, as the module that declares it describes it ("AI tasks"). */
  meterLabels: Record<string, string>;
  queue: QueueStats;
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function platformOverview(scope: UserScope): Promise<PlatformOverview> {
  const db = consoleDb(scope);
  const now = scope.clock.now();
  const { catalog } = scope.product;
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const [organizations, users, suspended, newUsers, groups, paying, usage, queue] =
    await Promise.all([
      db.organization.count(),
      db.user.count({ where: { status: { not: "DELETED" } } }),
      db.user.count({ where: { status: "SUSPENDED" } }),
      db.user.count({ where: { createdAt: { gte: since }, status: { not: "DELETED" } } }),
      db.subscription.groupBy({ by: ["planKey", "status"], _count: { _all: true } }),
      db.subscription.groupBy({
        by: ["planKey", "interval"],
        where: { status: { in: [...PAYING] } },
        _count: { _all: true },
      }),
      db.usageCounter.groupBy({
        by: ["meter"],
        where: { periodStart: { gte: monthStart(now) } },
        _sum: { quantity: true },
      }),
      queueStats(db),
    ]);
  const withSubscription = groups.reduce((sum, group) => sum + group._count._all, 0);
  const subscriptions: PlatformOverview["subscriptions"] = groups
    .map((group): PlatformOverview["subscriptions"][number] => ({
      planKey: group.planKey,
      planName: catalog.getPlan(group.planKey)?.name ?? group.planKey,
      status: group.status,
      count: group._count._all,
    }))
    .concat(
      organizations > withSubscription
        ? [
            {
              planKey: catalog.trialPlan.key,
              planName: catalog.trialPlan.name,
              status: "NONE",
              count: organizations - withSubscription,
            },
          ]
        : [],
    )
    .sort((a, b) => b.count - a.count || a.planKey.localeCompare(b.planKey));
  const mrrCents = paying.reduce((sum, group) => {
    const prices = catalog.getPlan(group.planKey)?.prices;
    const monthly = group.interval === "YEAR" ? (prices?.year ?? 0) / 12 : (prices?.month ?? 0);
    return sum + Math.round(monthly * group._count._all);
  }, 0);
  // Only the product's meters: a disabled module's counters are not shown.
  const usageThisMonth: Record<string, number> = Object.fromEntries(
    catalog.meterKeys.map((meter) => [meter, 0]),
  );
  for (const row of usage) {
    if (row.meter in usageThisMonth) usageThisMonth[row.meter] = Number(row._sum.quantity ?? 0);
  }
  return {
    organizations,
    users: { total: users, suspended, newLast30Days: newUsers },
    subscriptions,
    mrrCents,
    usageThisMonth,
    meterLabels: Object.fromEntries(
      catalog.meterKeys.map((meter) => [meter, scope.product.meters[meter]?.description ?? meter]),
    ),
    queue,
  };
}

export interface RevenueHistory {
  /**
   * The last 12 calendar months (UTC), oldest first; each month measured at its end, the
   * current one as of now. MRR counts each paid subscription from startedAt until canceledAt at
   * its current plan's flat fee (a plan change is not split across months).
   */
  months: { month: string; mrrCents: number; newOrganizations: number; churned: number }[];
  /** Organizations on each plan now (live subscriptions, trials included). */
  byPlan: { planKey: string; planName: string; count: number }[];
}

const HISTORY_MONTHS = 12;
/** Subscription statuses that are or were paying (history: CANCELED ones until they ended). */
const PAID_HISTORY = ["ACTIVE", "PAST_DUE", "CANCELED"] as const;
const LIVE = ["ACTIVE", "PAST_DUE", "TRIALING", "UNPAID", "PAUSED", "INCOMPLETE"] as const;

function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function monthlyFee(catalog: Catalog, planKey: string, interval: string | null): number {
  const prices = catalog.getPlan(planKey)?.prices;
  return interval === "YEAR" ? (prices?.year ?? 0) / 12 : (prices?.month ?? 0);
}

export async function revenueHistory(scope: UserScope): Promise<RevenueHistory> {
  const db = consoleDb(scope);
  const now = scope.clock.now();
  const { catalog } = scope.product;
  const first = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (HISTORY_MONTHS - 1), 1),
  );
  const keys = Array.from({ length: HISTORY_MONTHS }, (_, i) =>
    monthKey(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1))),
  );
  const start = first.toISOString();
  const at = now.toISOString();
  // Timestamps are stored as UTC wall-clock values (timestamp without time zone).
  const [paid, created, churned, plans] = await Promise.all([
    db.$queryRaw<{ month: string; plan_key: string; interval: string | null; count: number }[]>`
      WITH months AS (
        SELECT m AS month,
               LEAST(m + interval '1 month', (${at}::timestamptz AT TIME ZONE 'UTC')) AS at
        FROM generate_series((${start}::timestamptz AT TIME ZONE 'UTC'),
                             (${at}::timestamptz AT TIME ZONE 'UTC'),
                             interval '1 month') AS m
      )
      SELECT to_char(months.month, 'YYYY-MM') AS month, s.plan_key, s.interval::text AS interval,
             count(*)::int AS count
      FROM months
      JOIN subscriptions s
        ON COALESCE(s.started_at, s.created_at) < months.at
       AND (s.canceled_at IS NULL OR s.canceled_at > months.at)
      WHERE s.status::text IN (${PAID_HISTORY[0]}, ${PAID_HISTORY[1]}, ${PAID_HISTORY[2]})
        AND s.plan_key <> 'trial'
        AND (s.status <> 'CANCELED' OR s.canceled_at IS NOT NULL)
      GROUP BY 1, 2, 3`,
    db.$queryRaw<{ month: string; count: number }[]>`
      SELECT to_char(created_at, 'YYYY-MM') AS month, count(*)::int AS count
      FROM organizations
      WHERE created_at >= (${start}::timestamptz AT TIME ZONE 'UTC')
      GROUP BY 1`,
    db.$queryRaw<{ month: string; count: number }[]>`
      SELECT to_char(canceled_at, 'YYYY-MM') AS month, count(*)::int AS count
      FROM subscriptions
      WHERE status = 'CANCELED' AND plan_key <> 'trial'
        AND canceled_at >= (${start}::timestamptz AT TIME ZONE 'UTC')
      GROUP BY 1`,
    db.subscription.groupBy({
      by: ["planKey"],
      where: { status: { in: [...LIVE] } },
      _count: { _all: true },
    }),
  ]);
  const mrr = new Map<string, number>();
  for (const row of paid) {
    mrr.set(
      row.month,
      (mrr.get(row.month) ?? 0) + monthlyFee(catalog, row.plan_key, row.interval) * row.count,
    );
  }
  const countBy = (rows: { month: string; count: number }[]) =>
    new Map(rows.map((row) => [row.month, row.count]));
  const createdBy = countBy(created);
  const churnedBy = countBy(churned);
  return {
    months: keys.map((month) => ({
      month,
      mrrCents: Math.round(mrr.get(month) ?? 0),
      newOrganizations: createdBy.get(month) ?? 0,
      churned: churnedBy.get(month) ?? 0,
    })),
    byPlan: plans
      .map((group) => ({
        planKey: group.planKey,
        planName: catalog.getPlan(group.planKey)?.name ?? group.planKey,
        count: group._count._all,
      }))
      .sort((a, b) => b.count - a.count || a.planKey.localeCompare(b.planKey)),
  };
}

export async function searchOrganizations(
  scope: UserScope,
  input: { query?: string | undefined; limit: number },
) {
  const db = consoleDb(scope);
  const query = input.query?.trim();
  const rows = await db.organization.findMany({
    where: query
      ? {
          OR: [
            { name: { contains: query, mode: "insensitive" } },
            { slug: { contains: query.toLowerCase() } },
          ],
        }
      : {},
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: {
      id: true,
      name: true,
      slug: true,
      createdAt: true,
      trialEndsAt: true,
      subscription: {
        select: { planKey: true, status: true, currentPeriodEnd: true, cancelAtPeriodEnd: true },
      },
      _count: { select: { memberships: true } },
    },
  });
  // Enabled modules add their own per-organization counts (projects: how many projects).
  const ids = rows.map((row) => row.id);
  const columns = scope.product.modules.flatMap((module) => module.operatorCounts);
  const counts = await Promise.all(columns.map((column) => column.count(db, ids)));
  return {
    columns: columns.map(({ key, label }) => ({ key, label })),
    organizations: rows.map(({ _count, ...row }) => ({
      ...row,
      members: _count.memberships,
      counts: Object.fromEntries(
        columns.map((column, index) => [column.key, counts[index]?.get(row.id) ?? 0]),
      ),
    })),
  };
}

export async function searchUsers(
  scope: UserScope,
  input: { query?: string | undefined; limit: number },
) {
  const query = input.query?.trim().toLowerCase();
  return consoleDb(scope).user.findMany({
    where: query
      ? { OR: [{ email: { contains: query } }, { name: { contains: query, mode: "insensitive" } }] }
      : {},
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: {
      id: true,
      email: true,
      name: true,
      status: true,
      platformRole: true,
      createdAt: true,
    },
  });
}

/**
 * Suspends or reactivates a user. Suspension also deletes their sessions, so they are out on
 * their very next request even before the session check would notice the status.
 */
export async function setUserStatus(
  scope: UserScope,
  input: { userId: string; status: "ACTIVE" | "SUSPENDED" },
) {
  if (scope.actor.user.id === input.userId) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "You cannot change your own account status",
    });
  }
  return consoleDb(scope).$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, status: true },
    });
    if (!user || user.status === "DELETED") throw notFound("User");
    if (user.status === input.status) return user;
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { status: input.status },
      select: { id: true, status: true },
    });
    if (input.status === "SUSPENDED") await tx.session.deleteMany({ where: { userId: user.id } });
    await recordAudit(tx, scope, {
      organizationId: null,
      action: input.status === "SUSPENDED" ? "user.suspended" : "user.reactivated",
      targetType: "user",
      targetId: user.id,
      changes: { status: { from: user.status, to: input.status } },
    });
    return updated;
  });
}

/** Gives a failed job a fresh set of attempts; NOT_FOUND if it does not exist or is running. */
export async function retryFailedJob(scope: UserScope, jobId: string) {
  return consoleDb(scope).$transaction(async (tx) => {
    if (!(await retryJob(tx, jobId))) throw notFound("Job");
    await recordAudit(tx, scope, {
      organizationId: null,
      action: "job.retried",
      targetType: "job",
      targetId: jobId,
    });
    return { id: jobId };
  });
}

export function queue(scope: UserScope) {
  return queueStats(consoleDb(scope));
}

export function failedJobs(scope: UserScope, input: { limit: number }) {
  return listFailedJobs(consoleDb(scope), { limit: input.limit });
}

// Subscription management: the customer's own billing paths (@plinth/billing/service through
// billing.ts's deps and error mapping), called for any organization and audited on the
// platform log with the operator as actor and the organization as target.

/** Statuses of a paid subscription that can be changed or cancelled in place. */
const CHANGEABLE = ["ACTIVE", "PAST_DUE", "TRIALING", "UNPAID"] as const;

const subscriptionSelect = {
  planKey: true,
  status: true,
  provider: true,
  interval: true,
  currentPeriodStart: true,
  currentPeriodEnd: true,
  cancelAtPeriodEnd: true,
  trialEndsAt: true,
  startedAt: true,
  canceledAt: true,
} as const;

async function subscriptionRow(scope: UserScope, organizationId: string) {
  const org = await consoleDb(scope).organization.findUnique({
    where: { id: organizationId },
    select: { id: true, name: true, slug: true, subscription: { select: subscriptionSelect } },
  });
  if (!org) throw notFound("Organization");
  return org;
}

type SubscriptionRow = NonNullable<Awaited<ReturnType<typeof subscriptionRow>>["subscription"]>;

const intervalOf = (row: { interval: string | null }): Interval | null =>
  row.interval === "YEAR" ? "year" : row.interval === "MONTH" ? "month" : null;

const isChangeable = (row: SubscriptionRow | null): row is SubscriptionRow =>
  !!row && row.planKey !== "trial" && (CHANGEABLE as readonly string[]).includes(row.status);

function paidSubscription(row: SubscriptionRow | null): SubscriptionRow {
  if (!isChangeable(row)) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "This organization has no paid subscription",
    });
  }
  return row;
}

/**
 * An organization's subscription for the operator: plan, status, period, pending
 * cancellation, provider and items (an explicit shape: no provider ids), with the plans of the
 * active preset it can be moved to.
 */
export async function organizationSubscription(
  scope: UserScope,
  input: { organizationId: string },
) {
  const { catalog } = scope.product;
  const org = await subscriptionRow(scope, input.organizationId);
  const row = org.subscription;
  const items = row
    ? await listSubscriptionItems({ system: consoleDb(scope) }, catalog, org.id)
    : [];
  return {
    organization: { id: org.id, name: org.name, slug: org.slug },
    subscription: row
      ? {
          plan: { key: row.planKey, name: catalog.getPlan(row.planKey)?.name ?? row.planKey },
          status: row.status,
          provider: row.provider.toLowerCase() as "stripe" | "razorpay" | "local",
          interval: intervalOf(row),
          currentPeriodStart: row.currentPeriodStart,
          currentPeriodEnd: row.currentPeriodEnd,
          cancelAtPeriodEnd: row.cancelAtPeriodEnd,
          trialEndsAt: row.trialEndsAt,
          startedAt: row.startedAt,
          canceledAt: row.canceledAt,
          /** A paid plan the operator can change or cancel in place. */
          manageable: isChangeable(row),
          items: items.map(({ key, name, quantity, unitAmount }) => ({
            key,
            name,
            quantity,
            unitAmount,
          })),
        }
      : null,
    plans: catalog.plans.filter(sellableAsPlan).map((plan) => ({
      key: plan.key,
      name: plan.name,
      intervals: planIntervals(plan),
      prices: plan.prices,
    })),
  };
}

async function auditSubscription(
  scope: UserScope,
  organizationId: string,
  action: string,
  changes: AuditChanges,
) {
  await consoleDb(scope).$transaction((tx) =>
    recordAudit(tx, scope, {
      organizationId: null,
      action,
      targetType: "organization",
      targetId: organizationId,
      changes,
    }),
  );
}

const deps = (scope: UserScope) => billingServiceDeps(scope, { system: consoleDb(scope) });

/** The requested plan change checked: 400 unknown plan/interval, 412 no paid plan/same plan. */
async function planChangeTarget(
  scope: UserScope,
  input: { organizationId: string; planKey: string; interval?: Interval | undefined },
) {
  const plan = scope.product.catalog.getPlan(input.planKey);
  if (!plan || !sellableAsPlan(plan)) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "planKey",
      reason: "Not a plan of this product",
    });
  }
  const org = await subscriptionRow(scope, input.organizationId);
  const current = paidSubscription(org.subscription);
  const interval = input.interval ?? intervalOf(current) ?? "month";
  if (!planIntervals(plan).includes(interval)) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "interval",
      reason: `${plan.name} is not sold ${interval}ly`,
    });
  }
  if (current.planKey === plan.key && intervalOf(current) === interval) {
    throw new AppError({ code: "INVALID_STATE", detail: `Already on ${plan.name} (${interval})` });
  }
  return { org, current, plan, interval };
}

/**
 * What moving the organization to another plan would cost now — the billing core's plan
 * change preview (Stripe: its invoice preview at the returned `prorationDate`; local: the
 * unused time credited), shown before the operator confirms. Nothing changes; not audited.
 * Pass `prorationDate` to changeOrganizationPlan so the charge matches what was shown.
 */
export async function previewOrganizationPlanChange(
  scope: UserScope,
  input: { organizationId: string; planKey: string; interval?: Interval | undefined },
) {
  const { org, current, plan, interval } = await planChangeTarget(scope, input);
  const preview = await mapBillingErrors(() =>
    billing.previewPlanChange(deps(scope), { organizationId: org.id, planKey: plan.key, interval }),
  );
  return {
    from: {
      key: current.planKey,
      name: scope.product.catalog.getPlan(current.planKey)?.name ?? current.planKey,
    },
    to: { key: plan.key, name: plan.name },
    interval,
    provider: preview.provider,
    direction: preview.direction,
    prorationDate: preview.prorationDate,
    currency: preview.currency,
    amountDue: preview.amountDue,
    prorationAmount: preview.prorationAmount,
    lines: preview.lines.map(({ description, amount, proration }) => ({
      description,
      amount,
      proration,
    })),
  };
}

/**
 * Moves the organization's paid subscription to another plan of the active preset through its
 * provider, prorated as a customer's own change is (Stripe: create_prorations at
 * `prorationDate`; local: unused time credited). 400 for an unknown plan or interval, 412 for
 * no paid subscription or the same plan.
 */
export async function changeOrganizationPlan(
  scope: UserScope,
  input: {
    organizationId: string;
    planKey: string;
    interval?: Interval | undefined;
    prorationDate?: number | undefined;
  },
) {
  const { org, current, plan, interval } = await planChangeTarget(scope, input);
  const result = await mapBillingErrors(() =>
    billing.changePlan(deps(scope), {
      organizationId: org.id,
      planKey: plan.key,
      interval,
      ...(input.prorationDate !== undefined ? { prorationDate: input.prorationDate } : {}),
    }),
  );
  await auditSubscription(scope, org.id, "operator.plan_changed", {
    planKey: { from: current.planKey, to: plan.key },
    interval: { from: intervalOf(current), to: interval },
    provider: { to: result.provider },
  });
  return organizationSubscription(scope, { organizationId: org.id });
}

/** Cancels at the period end (resumable) or now, through the provider. 412 without one. */
export async function cancelOrganizationSubscription(
  scope: UserScope,
  input: { organizationId: string; when: "period_end" | "now" },
) {
  const org = await subscriptionRow(scope, input.organizationId);
  const current = paidSubscription(org.subscription);
  if (input.when === "period_end" && current.cancelAtPeriodEnd) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "The subscription is already cancelled at its period end",
    });
  }
  const after = await mapBillingErrors(() =>
    input.when === "now"
      ? billing.cancelNow(deps(scope), { organizationId: org.id })
      : billing.cancelAtPeriodEnd(deps(scope), { organizationId: org.id }),
  );
  await auditSubscription(
    scope,
    org.id,
    input.when === "now" ? "operator.subscription_ended" : "operator.subscription_canceled",
    input.when === "now"
      ? { status: { from: current.status, to: after.subscriptionStatus } }
      : { cancelAtPeriodEnd: { from: false, to: true }, endsAt: { to: after.endsAt } },
  );
  return organizationSubscription(scope, { organizationId: org.id });
}

/** Withdraws a pending cancellation (at period end). 412 when none is pending. */
export async function resumeOrganizationSubscription(
  scope: UserScope,
  input: { organizationId: string },
) {
  const org = await subscriptionRow(scope, input.organizationId);
  const current = paidSubscription(org.subscription);
  if (!current.cancelAtPeriodEnd) {
    throw new AppError({ code: "INVALID_STATE", detail: "No cancellation is pending" });
  }
  await mapBillingErrors(() => billing.resume(deps(scope), { organizationId: org.id }));
  await auditSubscription(scope, org.id, "operator.subscription_resumed", {
    cancelAtPeriodEnd: { from: true, to: false },
  });
  return organizationSubscription(scope, { organizationId: org.id });
}
