// Demo data of the active product (PLINTH_PRODUCT, plinth.config.ts): one organization per
// plan of the preset with an owner you can sign in as, one platform admin, and a year of
// believable history so the charts have something to say on first start: the demo
// organizations' subscriptions began months ago (monthly test-mode invoices since), the metered
// ones have usage events every day of the current period, each enabled module seeds its
// example records (projects…), and a few dozen customer organizations signed up over the last
// year — most converted, some churned, some trials that lapsed. Deterministic (a seeded random
// generator) and idempotent: running it again changes nothing (`npm run dev` runs it every
// start). All demo accounts share DEMO_PASSWORD; README lists them. Customer owners have no
// password (they cannot sign in).
import { createHmac } from "node:crypto";
import { generateApiKey, insertApiKey } from "@plinth/api-keys";
import { hashPassword } from "@plinth/auth/password";
import { recordLocalInvoice } from "@plinth/billing/invoices";
import { recordUsage } from "@plinth/billing/usage";
import { systemAudit } from "@plinth/core/audit";
import { createDatabase, systemClient, type PrismaClient } from "@plinth/db";
import {
  createOrganizationWithOwner,
  type DemoAccount,
  type Preset,
  type ProductRuntime,
} from "@plinth/platform";
import { TERMS_CONSENT_VERSION } from "@plinth/platform/contracts";
import { activePreset, createProductRuntime, presets } from "@plinth/product";

export const DEMO_PASSWORD = "plinth-demo-1234";

/** Demo users have accepted the terms in force (seeded now: no terms step at sign-in). */
const acceptedTermsAt = (recordedAt: Date) => ({
  consents: {
    create: { kind: "TERMS" as const, version: TERMS_CONSENT_VERSION, granted: true, recordedAt },
  },
});

/**
 * The demo organization's API key is derived from its id (random per local database), so
 * `npm run dev` can print it again; it exists only in the local demo database.
 */
function demoKeySecret(organizationId: string): Buffer {
  return createHmac("sha256", "plinth-demo-api-key").update(organizationId).digest();
}

/** Each demo organization's API key (plaintext), for `npm run dev`'s sign-in list. */
export async function demoApiKeys(
  system: PrismaClient,
  accounts: readonly SeedAccount[],
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const account of accounts) {
    const membership = await system.membership.findFirst({
      where: { user: { email: account.email }, role: "OWNER" },
      select: { organizationId: true },
    });
    if (!membership) continue;
    const key = generateApiKey("live", demoKeySecret(membership.organizationId));
    const stored = await system.apiKey.findUnique({
      where: { keyHash: key.hash },
      select: { revokedAt: true },
    });
    if (stored && !stored.revokedAt) keys.set(account.email, key.key);
  }
  return keys;
}
export const DEMO_ADMIN = { email: "admin@demo.plinth.dev", name: "Ada Admin" } as const;

type SeedAccount = DemoAccount & { planKey: string; customerForMonths: number };

/** The demo organizations of `preset` (default: the active one), with their plan. */
export function demoAccounts(preset: Preset = activePreset()): SeedAccount[] {
  return Object.entries(preset.demo).map(([planKey, account]) => ({
    planKey,
    ...account,
    customerForMonths: account.customerForMonths ?? 0,
  }));
}

/** The demo preset's (`all`) account on `planKey`. */
function allAccount(planKey: string): SeedAccount {
  const account = presets.all.demo[planKey];
  if (!account) throw new Error(`the demo preset has no "${planKey}" organization`);
  return { planKey, ...account, customerForMonths: account.customerForMonths ?? 0 };
}
/** The demo preset's (`all`) accounts by position, for tests and scripts that sign in as one. */
export const DEMO_ACCOUNTS = [
  allAccount("trial"),
  allAccount("pro"),
  allAccount("enterprise"),
  allAccount("payg"),
  allAccount("hybrid"),
] as const;

/** How many customer organizations the history has (besides the demo ones). */
export const CUSTOMER_COUNT = 36;
/** Days of the current billing period already behind the demo organizations. */
export const PERIOD_DAYS_ELAPSED = 20;

const DAY = 86_400_000;

export async function seed(
  databaseUrl: string,
  options: { log?: (line: string) => void; preset?: Preset } = {},
) {
  const log = options.log ?? (() => {});
  const preset = options.preset ?? activePreset();
  const product = createProductRuntime(preset);
  const database = createDatabase(databaseUrl);
  const system = systemClient(database, "seed: demo users, subscriptions and usage");
  const db: SeedDb = { app: database.app, system, product };
  try {
    if (await system.user.findUnique({ where: { email: DEMO_ADMIN.email } })) {
      log("demo data already present");
      return;
    }
    const now = new Date();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system.user.create({
      data: {
        ...DEMO_ADMIN,
        ...acceptedTermsAt(now),
        passwordHash,
        emailVerified: now,
        platformRole: "SUPER_ADMIN",
      },
    });
    const accounts = demoAccounts(preset);
    for (const account of accounts) await seedAccount(db, account, passwordHash, now);
    const random = seededRandom(20_261_201);
    const customers = customerPlans(product);
    if (customers.length > 0) {
      for (let index = 0; index < CUSTOMER_COUNT; index++) {
        await seedCustomer(db, customerProfile(index, random, now, product, customers), now);
      }
    }
    log(
      `seeded ${accounts.length} demo organizations of "${preset.key}", ${customers.length > 0 ? CUSTOMER_COUNT : 0} customer organizations with a year of history, and a platform admin`,
    );
  } finally {
    await database.disconnect();
  }
}

interface SeedDb {
  app: PrismaClient;
  system: PrismaClient;
  product: ProductRuntime;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function addMonths(date: Date, months: number): Date {
  const next = new Date(date);
  next.setUTCMonth(next.getUTCMonth() + months);
  return next;
}

/** The start of the billing period that contains `now`, for a subscription begun `started`. */
function currentPeriodStart(started: Date, now: Date, months: number): Date {
  let start = started;
  while (addMonths(start, months) <= now) start = addMonths(start, months);
  return start;
}

async function createOwnedOrganization(
  db: SeedDb,
  owner: { id: string },
  name: string,
  createdAt: Date,
) {
  const organization = await createOrganizationWithOwner(
    db.app,
    db.product.catalog,
    systemAudit("seed", "seed"),
    { name, ownerId: owner.id, now: createdAt },
  );
  await db.system.organization.update({ where: { id: organization.id }, data: { createdAt } });
  return organization;
}

/** Each enabled module's example records (projects: these names). */
async function seedRecords(
  db: SeedDb,
  organizationId: string,
  ownerId: string,
  records: (moduleKey: string) => readonly string[] | undefined,
) {
  for (const module of db.product.modules) {
    const names = records(module.key);
    const seedModule = module.demo;
    if (!seedModule || !names?.length) continue;
    await db.system.$transaction((tx) => seedModule(tx, { organizationId, ownerId, names }));
  }
}

async function seedAccount(db: SeedDb, account: SeedAccount, passwordHash: string, now: Date) {
  const trialKey = db.product.catalog.trialPlan.key;
  const periodStart = new Date(startOfUtcDay(now).getTime() - PERIOD_DAYS_ELAPSED * DAY);
  const startedAt = addMonths(periodStart, -account.customerForMonths);
  // Signed up, tried the product for ten days, then bought (the trial: signed up 3 days ago).
  const createdAt =
    account.planKey === trialKey
      ? new Date(now.getTime() - 3 * DAY)
      : new Date(startedAt.getTime() - 10 * DAY);
  const user = await db.system.user.create({
    data: {
      email: account.email,
      name: account.name,
      passwordHash,
      emailVerified: createdAt,
      createdAt,
      ...acceptedTermsAt(now),
    },
  });
  const organization = await createOwnedOrganization(db, user, account.organization, createdAt);
  // One API key per demo organization (stored hashed; `npm run dev` prints it, demoApiKey).
  await insertApiKey(
    db.system,
    {
      organizationId: organization.id,
      name: "Demo key",
      scopes: Object.keys(db.product.apiScopes),
      createdById: user.id,
    },
    { secretBytes: demoKeySecret(organization.id) },
  );
  if (account.planKey !== trialKey) {
    await db.system.subscription.update({
      where: { organizationId: organization.id },
      data: {
        planKey: account.planKey,
        status: "ACTIVE",
        interval: "MONTH",
        trialEndsAt: null,
        startedAt,
        currentPeriodStart: periodStart,
        currentPeriodEnd: addMonths(periodStart, 1),
      },
    });
    // One paid test-mode invoice per month since the subscription began.
    const plan = db.product.catalog.getPlan(account.planKey);
    for (let month = 0; month <= account.customerForMonths; month++) {
      const issuedAt = addMonths(startedAt, month);
      await recordLocalInvoice(db.system, {
        organizationId: organization.id,
        amount: plan?.prices.month ?? 0,
        description: `${plan?.name ?? account.planKey} (monthly) — test mode`,
        periodStart: issuedAt,
        periodEnd: addMonths(issuedAt, 1),
        issuedAt,
      });
    }
  }
  await seedUsage(db.system, organization.id, account.usage ?? {}, periodStart, now);
  const records: Readonly<Record<string, readonly string[] | undefined>> = account.records ?? {};
  await seedRecords(db, organization.id, user.id, (moduleKey) => records[moduleKey]);
}

/**
 * Usage events for every day from `periodStart` to now (weekdays busier than weekends, a gentle
 * upward trend, some noise) adding up exactly to `totals`, and the period counters to match.
 */
async function seedUsage(
  system: PrismaClient,
  organizationId: string,
  totals: Readonly<Record<string, number | undefined>>,
  periodStart: Date,
  now: Date,
) {
  const random = seededRandom(organizationId.length * 7919 + periodStart.getUTCDate());
  const days: Date[] = [];
  for (let day = startOfUtcDay(periodStart); day <= now; day = new Date(day.getTime() + DAY)) {
    days.push(day);
  }
  // usage_events is partitioned by month (the worker creates months ahead; a seed may run
  // before it ever has): the period's months need their partitions.
  await system.$queryRaw`SELECT usage_events_create_partitions(${days[0] ?? now}::timestamp, ${now}::timestamp)`;
  for (const [meter, total] of Object.entries(totals)) {
    if (!total) continue;
    const weights = days.map((day, index) => {
      const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
      // Today is only partly over.
      const elapsed = Math.min(1, (now.getTime() - day.getTime()) / DAY);
      return (weekend ? 0.45 : 1) * (1 + index / days.length / 2) * (0.75 + random() / 2) * elapsed;
    });
    const sum = weights.reduce((a, b) => a + b, 0);
    const quantities = weights.map((weight) => Math.floor((total * weight) / sum));
    // What rounding left over goes to the busiest day (exact totals, no odd spike).
    const busiest = quantities.indexOf(Math.max(...quantities));
    quantities[busiest]! += total - quantities.reduce((a, b) => a + b, 0);
    await system.usageEvent.createMany({
      data: days.flatMap((day, index) =>
        quantities[index]! > 0
          ? [
              {
                organizationId,
                meter,
                quantity: quantities[index]!,
                // Midday, or just now for today when it is not midday yet.
                occurredAt: new Date(Math.min(day.getTime() + DAY / 2, now.getTime() - 1000)),
              },
            ]
          : [],
      ),
    });
    await recordUsage(system, { organizationId, meter, quantity: total, now });
  }
}

interface CustomerProfile {
  name: string;
  owner: string;
  createdAt: Date;
  planKey: string;
  interval: "MONTH" | "YEAR";
  /** null: never converted (still trialing, or the trial lapsed). */
  startedAt: Date | null;
  canceledAt: Date | null;
  usage: Record<string, number>;
}

/** What a typical metered customer uses in a period, per meter (other meters: 500 units). */
const TYPICAL_USAGE: Record<string, number> = {
  "api.requests": 90_000,
  "ai.tasks": 900,
  "session.minutes": 400,
};

/** The plans customers buy: the preset's purchasable ones, cheapest first (most popular). */
function customerPlans(product: ProductRuntime) {
  return product.catalog.plans.filter(
    (plan) => plan.purchasable && plan.key !== product.catalog.trialPlan.key,
  );
}

const COMPANIES = [
  "Acme Robotics",
  "Bluebird Labs",
  "Cobalt Health",
  "Driftwood Media",
  "Evergreen Logistics",
  "Foxglove Studio",
  "Granite Systems",
  "Harbor Analytics",
  "Ironclad Security",
  "Juniper Foods",
  "Kestrel Aviation",
  "Lumen Energy",
  "Maple Finance",
  "Nimbus Cloud",
  "Orchid Retail",
  "Pinecone Games",
  "Quartz Legal",
  "Redwood Realty",
  "Sable Insurance",
  "Tidewater Travel",
  "Umber Architects",
  "Vantage Telecom",
  "Willow Education",
  "Xenon Devices",
  "Yarrow Farms",
  "Zephyr Mobility",
  "Atlas Freight",
  "Beacon Dental",
  "Cedar Clinics",
  "Delta Payroll",
  "Ember Coffee",
  "Fjord Outdoor",
  "Gale Wind Power",
  "Helix Biotech",
  "Indigo Fashion",
  "Jasper Recruiting",
];
const PEOPLE = [
  "Alex Kim",
  "Bea Novak",
  "Chen Wei",
  "Dara Singh",
  "Eli Cohen",
  "Fatima Ali",
  "Gus Berg",
  "Hiro Tanaka",
  "Ines Costa",
  "Jon Reyes",
];

/** A customer's story: sign-up date (more of them lately: the product grows), plan, fate. */
function customerProfile(
  index: number,
  random: () => number,
  now: Date,
  product: ProductRuntime,
  plans: ReturnType<typeof customerPlans>,
): CustomerProfile {
  const ageDays = Math.floor(380 * Math.pow(random(), 1.4)) + 1;
  const createdAt = new Date(now.getTime() - ageDays * DAY - Math.floor(random() * DAY));
  // Half of the customers on the first plan, the rest spread over the others.
  const roll = random();
  const plan =
    roll < 0.5 || plans.length === 1
      ? plans[0]!
      : plans[1 + Math.floor(((roll - 0.5) / 0.5) * (plans.length - 1))]!;
  const metered = Object.values(plan.quotas).some((quota) => (quota.overageMicroCents ?? 0) > 0);
  const interval = (plan.prices.year ?? 0) > 0 && random() < 0.2 ? "YEAR" : "MONTH";
  const trialDays = product.catalog.trialPlan.trialDays;
  const convertsAfterDays = 3 + Math.floor(random() * (trialDays - 3));
  const converts = random() < 0.75;
  const startedAt =
    converts && ageDays > convertsAfterDays
      ? new Date(createdAt.getTime() + convertsAfterDays * DAY)
      : null;
  const monthsPaid = startedAt ? (now.getTime() - startedAt.getTime()) / (30 * DAY) : 0;
  const churns = startedAt !== null && monthsPaid > 1.5 && random() < 0.22;
  const canceledAt =
    churns && startedAt
      ? new Date(startedAt.getTime() + (1 + Math.floor(random() * (monthsPaid - 1))) * 30 * DAY)
      : null;
  const scale = 0.3 + random();
  return {
    name: COMPANIES[index % COMPANIES.length]!,
    owner: PEOPLE[index % PEOPLE.length]!,
    createdAt,
    planKey: plan.key,
    interval,
    startedAt,
    canceledAt,
    usage:
      metered && startedAt && !canceledAt
        ? Object.fromEntries(
            product.catalog.meterKeys.map((meter) => [
              meter,
              Math.round((TYPICAL_USAGE[meter] ?? 500) * scale),
            ]),
          )
        : {},
  };
}

async function seedCustomer(db: SeedDb, profile: CustomerProfile, now: Date) {
  const slugPart = profile.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const user = await db.system.user.create({
    data: {
      email: `${profile.owner.split(" ")[0]!.toLowerCase()}@${slugPart}.example.com`,
      name: profile.owner,
      emailVerified: profile.createdAt,
      createdAt: profile.createdAt,
    },
  });
  const organization = await createOwnedOrganization(db, user, profile.name, profile.createdAt);
  if (profile.startedAt) {
    const months = profile.interval === "YEAR" ? 12 : 1;
    const periodStart = currentPeriodStart(profile.startedAt, profile.canceledAt ?? now, months);
    await db.system.subscription.update({
      where: { organizationId: organization.id },
      data: {
        planKey: profile.planKey,
        status: profile.canceledAt ? "CANCELED" : "ACTIVE",
        interval: profile.interval,
        trialEndsAt: null,
        startedAt: profile.startedAt,
        canceledAt: profile.canceledAt,
        currentPeriodStart: periodStart,
        currentPeriodEnd: addMonths(periodStart, months),
      },
    });
    await seedUsage(db.system, organization.id, profile.usage, periodStart, now);
  }
  const names = ["Main app", "Internal tools"].slice(0, profile.startedAt ? 2 : 1);
  await seedRecords(db, organization.id, user.id, () => names);
}
