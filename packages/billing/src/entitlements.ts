// What an organization may do right now, resolved from its subscription state and the
// product's catalog. Pure: a request resolves it once (bindOrganization in @plinth/platform).
import type { ReadOnlyReason } from "@plinth/core/errors";
import type { Catalog, Limit, Plan, Quota, RateLimit } from "./catalog.ts";

export type { ReadOnlyReason };

export type SubscriptionStatusValue =
  | "TRIALING"
  | "ACTIVE"
  | "PAST_DUE"
  | "CANCELED"
  | "UNPAID"
  | "INCOMPLETE"
  | "INCOMPLETE_EXPIRED"
  | "PAUSED";

export interface SubscriptionState {
  planKey: string;
  status: SubscriptionStatusValue;
  trialEndsAt: Date | null;
  pastDueSince: Date | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface EntitlementInput {
  organization: { trialEndsAt: Date | null; createdAt: Date };
  subscription: SubscriptionState | null;
  now: Date;
  /** How long a past_due subscription keeps full access. */
  pastDueGraceDays: number;
}

export type EntitlementStatus =
  "trialing" | "active" | "past_due_grace" | "trial_expired" | "restricted" | "inactive";

export interface Entitlements {
  plan: Plan;
  status: EntitlementStatus;
  access: "full" | "read_only";
  readOnlyReason: ReadOnlyReason | null;
  trialEndsAt: Date | null;
  /** When a past-due organization loses write access. */
  graceEndsAt: Date | null;
  /** Start of the current usage period (quotas reset here). */
  periodStart: Date;
  /** Keys of the product's enabled modules (a key absent here is not granted). */
  features: Readonly<Record<string, boolean>>;
  limits: Readonly<Record<string, Limit>>;
  quotas: Readonly<Record<string, Quota>>;
  rateLimits: { api: RateLimit };
}

const DAY_MS = 86_400_000;

/** The access part of the entitlements: what the subscription state allows now (no catalog). */
export type Access = Pick<
  Entitlements,
  "status" | "access" | "readOnlyReason" | "trialEndsAt" | "graceEndsAt"
>;

/**
 * Full or read-only access, and why, from the subscription state alone (what
 * resolveEntitlements answers too): the worker's jobs that act on read-only organizations
 * (hosting.syncAccess) resolve it without the product's catalog.
 */
export function resolveAccess(input: EntitlementInput): Access {
  const { organization, subscription, now } = input;
  const full = (status: EntitlementStatus, extra: Partial<Access> = {}): Access => ({
    status,
    access: "full",
    readOnlyReason: null,
    trialEndsAt: null,
    graceEndsAt: null,
    ...extra,
  });
  const readOnly = (
    status: EntitlementStatus,
    reason: ReadOnlyReason,
    extra: Partial<Access> = {},
  ): Access => ({
    status,
    access: "read_only",
    readOnlyReason: reason,
    trialEndsAt: null,
    graceEndsAt: null,
    ...extra,
  });

  if (!subscription || subscription.status === "TRIALING") {
    const trialEndsAt = subscription?.trialEndsAt ?? organization.trialEndsAt;
    if (trialEndsAt && trialEndsAt.getTime() <= now.getTime()) {
      return readOnly("trial_expired", "TRIAL_EXPIRED", { trialEndsAt });
    }
    return full("trialing", { trialEndsAt });
  }
  switch (subscription.status) {
    case "ACTIVE":
      return full("active");
    case "PAST_DUE": {
      const since = subscription.pastDueSince ?? now;
      const graceEndsAt = new Date(since.getTime() + input.pastDueGraceDays * DAY_MS);
      return graceEndsAt.getTime() > now.getTime()
        ? full("past_due_grace", { graceEndsAt })
        : readOnly("restricted", "PAYMENT_OVERDUE", { graceEndsAt });
    }
    case "UNPAID":
      return readOnly("restricted", "PAYMENT_OVERDUE");
    case "CANCELED":
    case "INCOMPLETE":
    case "INCOMPLETE_EXPIRED":
    case "PAUSED":
      return readOnly("inactive", "SUBSCRIPTION_INACTIVE");
  }
}

export function resolveEntitlements(catalog: Catalog, input: EntitlementInput): Entitlements {
  const { subscription, now } = input;
  // A plan the product no longer sells falls back to the trial's entitlements.
  const plan = (subscription && catalog.getPlan(subscription.planKey)) || catalog.trialPlan;
  return {
    plan,
    features: plan.features,
    limits: plan.limits,
    quotas: plan.quotas,
    rateLimits: plan.rateLimits,
    periodStart: usagePeriodStart(subscription, now),
    ...resolveAccess(input),
  };
}

/** Where usage counters of the current period start: the subscription's period, or the month. */
export function usagePeriodStart(
  subscription: Pick<SubscriptionState, "currentPeriodStart"> | null,
  now: Date,
): Date {
  return (
    subscription?.currentPeriodStart ??
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
  );
}
