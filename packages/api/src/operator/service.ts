// The operator console's reads and actions. Cross-tenant by nature, so only ever reached
// through platformAdminProcedure with the system client; every action is audited on the
// platform log (organizationId null).
import { PLANS, getPlan, METER_KEYS, type MeterKey } from "@plinth/billing";
import type { PrismaClient } from "@plinth/db";
import { queueStats, retryJob, type QueueStats } from "@plinth/jobs";
import { recordAudit } from "../audit.ts";
import { AppError, notFound } from "../errors.ts";
import type { Context } from "../trpc.ts";

type Actor = Pick<Context, "user" | "ipAddress" | "requestId">;

/** Subscription statuses that bring in money this period. */
const PAYING = ["ACTIVE", "PAST_DUE"] as const;

export interface PlatformOverview {
  organizations: number;
  users: { total: number; suspended: number; newLast30Days: number };
  /** Organizations per plan and subscription status ("NONE": trial without a subscription row). */
  subscriptions: { planKey: string; planName: string; status: string; count: number }[];
  /** Monthly recurring revenue from flat fees, in cents (yearly prices counted as 1/12). */
  mrrCents: number;
  /** Metered usage in the current calendar month, per meter, across all organizations. */
  usageThisMonth: Record<MeterKey, number>;
  queue: QueueStats;
}

function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function platformOverview(db: PrismaClient, now: Date): Promise<PlatformOverview> {
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
      planName: getPlan(group.planKey)?.name ?? group.planKey,
      status: group.status,
      count: group._count._all,
    }))
    .concat(
      organizations > withSubscription
        ? [
            {
              planKey: "trial",
              planName: PLANS.trial.name,
              status: "NONE",
              count: organizations - withSubscription,
            },
          ]
        : [],
    )
    .sort((a, b) => b.count - a.count || a.planKey.localeCompare(b.planKey));
  const mrrCents = paying.reduce((sum, group) => {
    const prices = getPlan(group.planKey)?.prices;
    const monthly = group.interval === "YEAR" ? (prices?.year ?? 0) / 12 : (prices?.month ?? 0);
    return sum + Math.round(monthly * group._count._all);
  }, 0);
  const usageThisMonth = Object.fromEntries(METER_KEYS.map((meter) => [meter, 0])) as Record<
    MeterKey,
    number
  >;
  for (const row of usage) {
    if ((METER_KEYS as readonly string[]).includes(row.meter))
      usageThisMonth[row.meter as MeterKey] = Number(row._sum.quantity ?? 0);
  }
  return {
    organizations,
    users: { total: users, suspended, newLast30Days: newUsers },
    subscriptions,
    mrrCents,
    usageThisMonth,
    queue,
  };
}

export async function searchOrganizations(
  db: PrismaClient,
  input: { query?: string | undefined; limit: number },
) {
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
      _count: { select: { memberships: true, projects: true } },
    },
  });
  return rows.map(({ _count, ...row }) => ({
    ...row,
    members: _count.memberships,
    projects: _count.projects,
  }));
}

export async function searchUsers(
  db: PrismaClient,
  input: { query?: string | undefined; limit: number },
) {
  const query = input.query?.trim().toLowerCase();
  return db.user.findMany({
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
  db: PrismaClient,
  actor: Actor,
  input: { userId: string; status: "ACTIVE" | "SUSPENDED" },
) {
  if (actor.user?.id === input.userId) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "You cannot change your own account status",
    });
  }
  return db.$transaction(async (tx) => {
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
    await recordAudit(tx, actor, {
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
export async function retryFailedJob(db: PrismaClient, actor: Actor, jobId: string) {
  return db.$transaction(async (tx) => {
    if (!(await retryJob(tx, jobId))) throw notFound("Job");
    await recordAudit(tx, actor, {
      organizationId: null,
      action: "job.retried",
      targetType: "job",
      targetId: jobId,
    });
    return { id: jobId };
  });
}
