// A product is a preset: which modules are on and the plans sold. plinth.config.ts defines
// the presets (definePreset); at start the active one (PLINTH_PRODUCT) becomes a
// ProductRuntime — the catalog, the declared features/limits/meters, navigation, jobs and
// run kinds of core + its modules — after the same checks the type system makes on the plans
// (every plan lists exactly the keys its modules declare) plus what types cannot see: no key,
// nav segment, job or table declared twice. Requests carry it as `scope.product`.
import { createCatalog, type BillingProduct, type Catalog, type Plan } from "@plinth/billing";
import type { JobDefinition } from "@plinth/jobs";
import { coreModule, type CoreModule } from "./core-module.ts";
import type {
  AnyModule,
  CronDeclaration,
  FeatureDeclaration,
  FeatureKeyOf,
  LimitDeclaration,
  LimitKeyOf,
  MeterDeclaration,
  MeterKeyOf,
  ModuleKeyOf,
  NavEntry,
  SignUpHook,
  WebhookEventDeclaration,
} from "./module.ts";

/** A plan of a preset whose modules are M (core included): exactly their keys. */
export type PresetPlan<M> = Omit<Plan<FeatureKeyOf<M>, LimitKeyOf<M>, MeterKeyOf<M>>, "key">;

/** A demo organization of a preset: its owner's sign-in, its usage, modules' example records. */
export interface DemoAccount<TMeter extends string = string, TModule extends string = string> {
  email: string;
  name: string;
  organization: string;
  /** How many months it has been paying (invoices and history go back that far; default 0). */
  customerForMonths?: number;
  /** Usage this period, so the billing page shows numbers. */
  usage?: Partial<Record<TMeter, number>>;
  /** Names of the example records each module's demo seeder creates (projects: project names). */
  records?: Partial<Record<TModule, readonly string[]>>;
}

/**
 * A priced subscription item of a preset (a hosted workspace of an app plan, a bundle): a flat
 * price per unit, bought on top of the subscription's plan (docs/billing.md, "Subscription
 * items and proration"). The catalog holds it as an item-only plan with no entitlements of
 * its own (the subscription's plan grants those): never offered at sign-up or checkout.
 */
export interface PresetItem {
  name: string;
  description: string;
  /** Minor units per unit and period; at least one. */
  prices: { month?: number; year?: number };
}

export interface Preset {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** The product modules (core is always on and comes first). */
  readonly modules: readonly AnyModule[];
  readonly trialPlan: string;
  readonly plans: Readonly<Record<string, Omit<Plan, "key">>>;
  /** One demo organization per plan, seeded by `npm run dev` (its sign-ins are printed). */
  readonly demo: Readonly<Record<string, DemoAccount>>;
  /** Priced subscription items by key (lower-case letters, distinct from the plans' keys). */
  readonly items?: Readonly<Record<string, PresetItem>>;
}

/**
 * A product: its modules and its plans, typed by them — a plan must list exactly the
 * features, limits and meters of core + `modules` (a key of a module that is not enabled is a
 * type error) — and one demo organization per plan.
 */
export function definePreset<
  const M extends readonly AnyModule[],
  const TPlan extends string,
>(preset: {
  key: string;
  name: string;
  description: string;
  modules: M;
  /** The plan new organizations start on; it needs trialDays. */
  trialPlan: NoInfer<TPlan>;
  plans: Record<TPlan, PresetPlan<CoreModule | M[number]>>;
  demo: Record<
    NoInfer<TPlan>,
    DemoAccount<MeterKeyOf<CoreModule | M[number]>, ModuleKeyOf<M[number]>>
  >;
  items?: Record<string, PresetItem>;
}): Preset {
  return preset;
}

type Owned<T> = T & { readonly module: string };

export interface ProductRuntime extends BillingProduct {
  readonly key: string;
  readonly name: string;
  readonly catalog: Catalog;
  /** Core first, then the preset's modules in their order. */
  readonly modules: readonly AnyModule[];
  readonly features: Readonly<Record<string, Owned<FeatureDeclaration>>>;
  readonly limits: Readonly<Record<string, Owned<LimitDeclaration>>>;
  readonly meters: Readonly<Record<string, Owned<MeterDeclaration>>>;
  readonly apiScopes: Readonly<Record<string, Owned<{ description: string }>>>;
  /** The organization navigation, sorted by `order`. */
  readonly nav: readonly Owned<NavEntry>[];
  readonly jobs: readonly JobDefinition[];
  readonly cron: readonly CronDeclaration[];
  readonly runKinds: readonly string[];
  /** The webhook event types endpoints may subscribe to: core's and the enabled modules'. */
  readonly webhookEvents: Readonly<Record<string, Owned<WebhookEventDeclaration>>>;
  /** Modules' sign-up hooks (teams: arriving through an invitation). */
  readonly signUpHooks: readonly SignUpHook[];
  isEnabled(moduleKey: string): boolean;
}

function collect<T>(
  modules: readonly AnyModule[],
  what: string,
  pick: (module: AnyModule) => Readonly<Record<string, T>>,
): Record<string, Owned<T>> {
  const all: Record<string, Owned<T>> = {};
  for (const module of modules) {
    for (const [key, value] of Object.entries(pick(module))) {
      const owner = all[key]?.module;
      if (owner) throw new Error(`${what} "${key}" is declared by both ${owner} and ${module.key}`);
      all[key] = { ...value, module: module.key };
    }
  }
  return all;
}

function unique(what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`${what} "${value}" is declared twice`);
    seen.add(value);
  }
}

/** Each limit's count plus what enabled modules contribute to it (countsToward). */
function withContributions(
  limits: Record<string, Owned<LimitDeclaration>>,
  modules: readonly AnyModule[],
): Record<string, Owned<LimitDeclaration>> {
  const result = { ...limits };
  for (const module of modules) {
    for (const [key, contribution] of Object.entries(module.countsToward)) {
      const limit = result[key];
      if (!limit) throw new Error(`Module ${module.key} counts toward unknown limit "${key}"`);
      if (!contribution) continue;
      result[key] = {
        ...limit,
        count: async (tx, organizationId, now) => {
          const [own, added] = await Promise.all([
            limit.count(tx, organizationId, now),
            contribution(tx, organizationId, now),
          ]);
          return own + added;
        },
      };
    }
  }
  return result;
}

/**
 * An item as the catalog holds it: a purchasable, item-only plan whose entitlements are all
 * off (an item's unit grants nothing by itself: the subscription's plan does).
 */
function itemPlan(
  key: string,
  item: PresetItem,
  declared: { features: object; limits: object; meters: object },
): Plan {
  if (item.prices.month === undefined && item.prices.year === undefined) {
    throw new Error(`Item "${key}" needs a monthly or yearly price`);
  }
  const each = <T>(keys: object, value: T) =>
    Object.fromEntries(Object.keys(keys).map((k) => [k, value]));
  return {
    key,
    name: item.name,
    description: item.description,
    prices: item.prices,
    purchasable: true,
    itemOnly: true,
    offeredAtSignUp: false,
    features: each(declared.features, false),
    limits: each(declared.limits, 0),
    quotas: each(declared.meters, { included: 0 }),
    rateLimits: { api: { requests: 0, windowSeconds: 60 } },
  };
}

/** The active product for `preset`, checked (throws with what is wrong). */
export function createProductRuntime(preset: Preset): ProductRuntime {
  const modules: readonly AnyModule[] = [coreModule, ...preset.modules];
  unique(
    "Module",
    modules.map((module) => module.key),
  );
  const features = collect(modules, "Feature", (module) => module.features);
  const declared = collect(modules, "Limit", (module) => module.limits);
  const limits = withContributions(declared, modules);
  const meters = collect(modules, "Meter", (module) => module.meters);
  const apiScopes = collect(modules, "API scope", (module) =>
    Object.fromEntries(
      Object.entries(module.apiScopes).map(([scope, description]) => [scope, { description }]),
    ),
  );
  const nav = modules
    .flatMap((module) => module.nav.map((entry) => ({ ...entry, module: module.key })))
    .sort((a, b) => a.order - b.order);
  unique(
    "Navigation segment",
    nav.map((entry) => entry.segment),
  );
  const jobs = modules.flatMap((module) => module.jobs);
  unique(
    "Job",
    jobs.map((job) => job.name),
  );
  unique(
    "Tenant model",
    modules.flatMap((module) => module.tenantModels),
  );
  const runKinds = modules.flatMap((module) => module.runKinds);
  unique("Run kind", runKinds);
  const webhookEvents = collect(modules, "Webhook event", (module) => module.webhookEvents);
  const catalog = createCatalog({
    plans: [
      ...Object.entries(preset.plans).map(([key, plan]) => ({ ...plan, key })),
      ...Object.entries(preset.items ?? {}).map(([key, item]) =>
        itemPlan(key, item, { features, limits, meters }),
      ),
    ],
    trialPlan: preset.trialPlan,
    features: Object.keys(features),
    limits: Object.keys(limits),
    meters: Object.keys(meters),
  });
  const enabled = new Set(modules.map((module) => module.key));
  return {
    key: preset.key,
    name: preset.name,
    catalog,
    modules,
    features,
    limits,
    meters,
    apiScopes,
    nav,
    jobs,
    cron: modules.flatMap((module) => module.cron),
    runKinds,
    webhookEvents,
    signUpHooks: modules.flatMap((module) => (module.signUp ? [module.signUp] : [])),
    isEnabled: (moduleKey) => enabled.has(moduleKey),
  };
}
