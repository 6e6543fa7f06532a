// The plan catalog: one typed object per plan. Stripe products/prices mirror this (the
// catalog sync command); entitlements are resolved from it (entitlements.ts).

export const FEATURE_KEYS = ["team.invite", "sso", "audit.read", "api.access"] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

export const LIMIT_KEYS = ["projects", "seats", "apiKeys"] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

export const METER_KEYS = ["api.requests", "ai.tasks", "session.minutes"] as const;
export type MeterKey = (typeof METER_KEYS)[number];

export const PLAN_KEYS = ["trial", "pro", "enterprise", "payg", "hybrid"] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

/** `null` means unlimited. */
export type Limit = number | null;

export interface Quota {
  /** Units included per billing period; null = unlimited. */
  included: Limit;
  /** Price per unit beyond `included`, in hundredths of a cent (Stripe's unit_amount_decimal). */
  overageMicroCents?: number;
}

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface Plan {
  key: PlanKey;
  name: string;
  description: string;
  /** Flat base fee in cents; absent for plans without one. */
  prices: { month?: number; year?: number };
  trialDays?: number;
  /** Can be bought through checkout (the trial is granted at sign-up, not bought). */
  purchasable: boolean;
  features: Record<FeatureKey, boolean>;
  limits: Record<LimitKey, Limit>;
  quotas: Record<MeterKey, Quota>;
  rateLimits: { api: RateLimit };
}

export const TRIAL_DAYS = 14;

const allFeatures: Record<FeatureKey, boolean> = {
  "team.invite": true,
  sso: true,
  "audit.read": true,
  "api.access": true,
};

export const PLANS: Record<PlanKey, Plan> = {
  trial: {
    key: "trial",
    name: "Trial",
    description: `${TRIAL_DAYS} days to try Plinth: one project, no team invites.`,
    prices: {},
    trialDays: TRIAL_DAYS,
    purchasable: false,
    features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
    limits: { projects: 1, seats: 1, apiKeys: 1 },
    quotas: {
      "api.requests": { included: 1_000 },
      "ai.tasks": { included: 20 },
      "session.minutes": { included: 30 },
    },
    rateLimits: { api: { requests: 10, windowSeconds: 60 } },
  },
  pro: {
    key: "pro",
    name: "Pro",
    description: "Unlimited projects for a single owner.",
    prices: { month: 2_900, year: 29_000 },
    purchasable: true,
    features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
    limits: { projects: null, seats: 1, apiKeys: 10 },
    quotas: {
      "api.requests": { included: 100_000 },
      "ai.tasks": { included: 1_000 },
      "session.minutes": { included: 600 },
    },
    rateLimits: { api: { requests: 600, windowSeconds: 60 } },
  },
  enterprise: {
    key: "enterprise",
    name: "Enterprise",
    description: "Teams, SSO and everything else.",
    prices: { month: 19_900, year: 199_000 },
    purchasable: true,
    features: allFeatures,
    limits: { projects: null, seats: 50, apiKeys: null },
    quotas: {
      "api.requests": { included: null },
      "ai.tasks": { included: null },
      "session.minutes": { included: null },
    },
    rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
  },
  payg: {
    key: "payg",
    name: "Pay as you go",
    description: "No base fee; every API request is metered.",
    prices: {},
    purchasable: true,
    features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
    limits: { projects: null, seats: 1, apiKeys: 10 },
    quotas: {
      "api.requests": { included: 0, overageMicroCents: 20 },
      "ai.tasks": { included: 0, overageMicroCents: 500 },
      "session.minutes": { included: 0, overageMicroCents: 1_000 },
    },
    rateLimits: { api: { requests: 1_200, windowSeconds: 60 } },
  },
  hybrid: {
    key: "hybrid",
    name: "Hybrid",
    description: "A base fee with an included quota; overage is metered.",
    prices: { month: 4_900, year: 49_000 },
    purchasable: true,
    features: { "team.invite": false, sso: false, "audit.read": true, "api.access": true },
    limits: { projects: null, seats: 1, apiKeys: 20 },
    quotas: {
      "api.requests": { included: 250_000, overageMicroCents: 10 },
      "ai.tasks": { included: 2_000, overageMicroCents: 400 },
      "session.minutes": { included: 1_200, overageMicroCents: 800 },
    },
    rateLimits: { api: { requests: 3_000, windowSeconds: 60 } },
  },
};

export function getPlan(key: string): Plan | undefined {
  return (PLANS as Record<string, Plan | undefined>)[key];
}

/** Purchasable plans from cheapest to dearest (by monthly base fee). */
export function purchasablePlansByPrice(): Plan[] {
  return Object.values(PLANS)
    .filter((plan) => plan.purchasable)
    .sort((a, b) => (a.prices.month ?? 0) - (b.prices.month ?? 0));
}

export function withinLimit(limit: Limit, wanted: number): boolean {
  return limit === null || wanted <= limit;
}

/** The cheapest purchasable plan for which `satisfies` holds, for upgrade prompts. */
export function cheapestPlanWhere(satisfies: (plan: Plan) => boolean): Plan | undefined {
  return purchasablePlansByPrice().find(satisfies);
}
