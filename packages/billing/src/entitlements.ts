// What an organization may do right now, resolved from its subscription state and the
// catalog. Pure: the API caches the result per request (packages/api).
import {
  getPlan,
  PLANS,
  type FeatureKey,
  type Limit,
  type LimitKey,
  type MeterKey,
  type Plan,
  type Quota,
  type RateLimit,
} from "./catalog.ts";

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

/** Why writes are refused while reads keep working. */
export type ReadOnlyReason = "TRIAL_EXPIRED" | "PAYMENT_OVERDUE" | "SUBSCRIPTION_INACTIVE";

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
  features: Record<FeatureKey, boolean>;
  limits: Record<LimitKey, Limit>;
  quotas: Record<MeterKey, Quota>;
  rateLimits: { api: RateLimit };
}

const DAY_MS = 86_400_000;

export function resolveEntitlements(input: EntitlementInput): Entitlements {
  const { organization, subscription, now } = input;
  const plan = (subscription && getPlan(subscription.planKey)) || PLANS.trial;
  const base = {
    plan,
    features: plan.features,
    limits: plan.limits,
    quotas: plan.quotas,
    rateLimits: plan.rateLimits,
    trialEndsAt: null,
    graceEndsAt: null,
    periodStart: subscription?.currentPeriodStart ?? startOfMonth(now),
  };
  const full = (status: EntitlementStatus, extra: Partial<Entitlements> = {}): Entitlements => ({
    ...base,
    status,
    access: "full",
    readOnlyReason: null,
    ...extra,
  });
  const readOnly = (
    status: EntitlementStatus,
    reason: ReadOnlyReason,
    extra: Partial<Entitlements> = {},
  ): Entitlements => ({ ...base, status, access: "read_only", readOnlyReason: reason, ...extra });

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

function startOfMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
