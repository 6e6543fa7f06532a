// The plan catalog's types, and a catalog built from a product's plans. Plans are data in
// plinth.config.ts (one set per preset): a plan is typed by the feature, limit and meter keys
// its preset's modules declare, so a key of a disabled module is a type error there, and
// createCatalog checks the same at start-up. Stripe products/prices mirror a catalog (the
// catalog sync command); entitlements are resolved against it (entitlements.ts).

/** `null` means unlimited. */
export type Limit = number | null;

export interface Quota {
  /** Units included per billing period; null = unlimited. */
  included: Limit;
  /** Price per unit beyond `included`, in hundredths of a cent (Stripe's unit_amount_decimal). */
  overageMicroCents?: number;
  /**
   * Metered (with `overageMicroCents` as the fallback price of events without a cost), but
   * billed at each usage event's own recorded cost — a module's prices, the API catalog's
   * endpoints — as invoice lines (usage-lines.ts), not at `overageMicroCents` through a
   * Stripe meter: no meter event is sent for it. Its metered price is still synced (it is
   * what a pay-as-you-go subscription without a fee consists of at Stripe) and stays at 0.
   */
  billedAtEventCost?: true;
}

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export interface Plan<
  TFeature extends string = string,
  TLimit extends string = string,
  TMeter extends string = string,
> {
  /** Lower-case letters only: Stripe lookup keys are `plinth_<plan>_…`. */
  key: string;
  name: string;
  description: string;
  /** Flat base fee in cents; absent for plans without one. */
  prices: { month?: number; year?: number };
  trialDays?: number;
  /** Can be bought through checkout (the trial is granted at sign-up, not bought). */
  purchasable: boolean;
  /**
   * Offered as a choice on the sign-up page (default: the trial plan and every purchasable
   * plan). A purchasable choice goes to checkout once the account exists (docs/plans.md).
   */
  offeredAtSignUp?: boolean;
  /**
   * Sold only as an item of a subscription (a hosted workspace, a bundle), never as its plan:
   * not offered at sign-up or checkout, not in the billing page's plans (its entitlements are
   * never used — they come from the subscription's plan). Presets declare these as `items`.
   */
  itemOnly?: boolean;
  features: Record<TFeature, boolean>;
  limits: Record<TLimit, Limit>;
  quotas: Record<TMeter, Quota>;
  rateLimits: { api: RateLimit };
}

export interface CatalogInput {
  plans: readonly Plan[];
  /** The plan new organizations start on (and fall back to): it must have trialDays. */
  trialPlan: string;
  features: readonly string[];
  limits: readonly string[];
  meters: readonly string[];
}

export interface Catalog {
  readonly plans: readonly Plan[];
  /** Non-empty (z.enum wants a tuple). */
  readonly planKeys: readonly [string, ...string[]];
  readonly trialPlan: Plan & { trialDays: number };
  readonly featureKeys: readonly string[];
  readonly limitKeys: readonly string[];
  readonly meterKeys: readonly string[];
  getPlan(key: string): Plan | undefined;
  /** Purchasable plans from cheapest to dearest (by monthly base fee). */
  purchasablePlansByPrice(): Plan[];
  /** What sign-up offers: the trial plan first, then the offered purchasable plans by price. */
  readonly signUpPlans: readonly Plan[];
  /** The cheapest purchasable plan for which `satisfies` holds, for upgrade prompts. */
  cheapestPlanWhere(satisfies: (plan: Plan) => boolean): Plan | undefined;
}

const PLAN_KEY = /^[a-z]+$/;

function sameKeys(what: string, plan: string, actual: object, expected: readonly string[]) {
  const have = Object.keys(actual).sort();
  const want = [...expected].sort();
  const missing = want.filter((key) => !have.includes(key));
  const unknown = have.filter((key) => !want.includes(key));
  if (missing.length || unknown.length) {
    throw new Error(
      `Plan "${plan}": ${what} ${[
        missing.length ? `missing ${missing.join(", ")}` : "",
        unknown.length ? `not declared by any enabled module: ${unknown.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")}`,
    );
  }
}

/** A catalog over `input.plans`, checked: every plan lists exactly the declared keys. */
export function createCatalog(input: CatalogInput): Catalog {
  const byKey = new Map<string, Plan>();
  for (const plan of input.plans) {
    if (!PLAN_KEY.test(plan.key)) throw new Error(`Plan key "${plan.key}": use a-z only`);
    if (byKey.has(plan.key)) throw new Error(`Plan "${plan.key}" is defined twice`);
    sameKeys("features", plan.key, plan.features, input.features);
    sameKeys("limits", plan.key, plan.limits, input.limits);
    sameKeys("quotas", plan.key, plan.quotas, input.meters);
    byKey.set(plan.key, plan);
  }
  const trial = byKey.get(input.trialPlan);
  if (!trial?.trialDays) throw new Error(`The trial plan "${input.trialPlan}" needs trialDays`);
  const [first, ...rest] = [...byKey.keys()];
  if (first === undefined) throw new Error("A catalog needs at least one plan");
  const byPrice = [...byKey.values()]
    .filter(sellableAsPlan)
    .sort((a, b) => (a.prices.month ?? 0) - (b.prices.month ?? 0));
  const offered = (plan: Plan) => plan.offeredAtSignUp ?? true;
  const signUpPlans = [
    ...(offered(trial) ? [trial] : []),
    ...byPrice.filter((plan) => plan.key !== trial.key && offered(plan)),
  ];
  return {
    plans: [...byKey.values()],
    planKeys: [first, ...rest],
    trialPlan: { ...trial, trialDays: trial.trialDays },
    featureKeys: [...input.features],
    limitKeys: [...input.limits],
    meterKeys: [...input.meters],
    getPlan: (key) => byKey.get(key),
    purchasablePlansByPrice: () => [...byPrice],
    signUpPlans,
    cheapestPlanWhere: (satisfies) => byPrice.find(satisfies),
  };
}

/** A plan a subscription can be on (bought through checkout): purchasable, not an item only. */
export function sellableAsPlan(plan: Plan): boolean {
  return plan.purchasable && plan.itemOnly !== true;
}

export function withinLimit(limit: Limit, wanted: number): boolean {
  return limit === null || wanted <= limit;
}
