// A catalog like the demo's (plinth.config.ts, preset `all`): billing's mechanics — checkout,
// plan changes, proration, usage reports, Stripe's mirror — are tested against these plans.
// (Billing cannot import the product configuration, which sits above it.)
import { createCatalog, type Plan } from "../src/catalog.ts";

const TRIAL_DAYS = 14;

const plans: Record<string, Omit<Plan, "key">> = {
  trial: {
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
    name: "Enterprise",
    description: "Teams, SSO and everything else.",
    prices: { month: 19_900, year: 199_000 },
    purchasable: true,
    features: { "team.invite": true, sso: true, "audit.read": true, "api.access": true },
    limits: { projects: null, seats: 50, apiKeys: null },
    quotas: {
      "api.requests": { included: null },
      "ai.tasks": { included: null },
      "session.minutes": { included: null },
    },
    rateLimits: { api: { requests: 6_000, windowSeconds: 60 } },
  },
  payg: {
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

export const demoCatalog = createCatalog({
  plans: Object.entries(plans).map(([key, plan]) => ({ ...plan, key })),
  trialPlan: "trial",
  features: ["team.invite", "sso", "audit.read", "api.access"],
  limits: ["projects", "seats", "apiKeys"],
  meters: ["api.requests", "ai.tasks", "session.minutes"],
});
