// Demo data: one organization on each plan with an owner you can sign in as, one platform
// admin, and a year of believable history so the charts have something to say on first start:
// the demo organizations' subscriptions began months ago (monthly test-mode invoices since),
// the metered ones have usage events every day of the current period, and a few dozen
// customer organizations signed up over the last year — most converted, some churned, some
// trials that lapsed. Deterministic (a seeded random generator) and idempotent: running it
// again changes nothing (`npm run dev` runs it every start). All demo accounts share
// DEMO_PASSWORD; README lists them. Customer owners have no password (they cannot sign in).
import { createOrganizationWithOwner } from "@plinth/api";
import { hashPassword } from "@plinth/auth/password";
import { getPlan, TRIAL_DAYS, type MeterKey, type PlanKey } from "@plinth/billing";
import { recordLocalInvoice } from "@plinth/billing/invoices";
import { recordUsage } from "@plinth/billing/usage";
import { createDatabase, type Database } from "@plinth/db";

export const DEMO_PASSWORD = "plinth-demo-1234";

export const DEMO_ACCOUNTS = [
  {
    email: "trial@demo.plinth.dev",
    name: "Tess Trial",
    organization: "Trial Testing Co",
    planKey: "trial",
    projects: ["Checkout flows"],
    customerForMonths: 0,
  },
  {
    email: "pro@demo.plinth.dev",
    name: "Priya Pro",
    organization: "Pro Automation Ltd",
    planKey: "pro",
    projects: ["Web app", "Mobile app", "Public API"],
    customerForMonths: 10,
  },
  {
    email: "enterprise@demo.plinth.dev",
    name: "Emil Enterprise",
    organization: "Enterprise Hosting Inc",
    planKey: "enterprise",
    projects: ["Staging cluster", "Production cluster"],
    customerForMonths: 8,
  },
  {
    email: "payg@demo.plinth.dev",
    name: "Pat Payg",
    organization: "Metered APIs GmbH",
    planKey: "payg",
    projects: ["Geocoding API"],
    customerForMonths: 5,
  },
  {
    email: "hybrid@demo.plinth.dev",
    name: "Hana Hybrid",
    organization: "Voice Training SAS",
    planKey: "hybrid",
    projects: ["Cold-call drills"],
    customerForMonths: 3,
  },
] as const;

/** Usage this period for the metered demo organizations, so the billing page shows numbers. */
export const DEMO_USAGE: Partial<
  Record<(typeof DEMO_ACCOUNTS)[number]["planKey"], Partial<Record<MeterKey, number>>>
> = {
  payg: { "api.requests": 12_840, "ai.tasks": 57, "session.minutes": 35 },
  // Hybrid includes 250 000 requests, 2 000 AI tasks and 1 200 minutes: AI tasks show overage.
  hybrid: { "api.requests": 182_500, "ai.tasks": 2_150, "session.minutes": 640 },
};

export const DEMO_ADMIN = { email: "admin@demo.plinth.dev", name: "Ada Admin" } as const;

/** How many customer organizations the history has (besides the demo ones). */
export const CUSTOMER_COUNT = 36;
/** Days of the current billing period already behind the demo organizations. */
export const PERIOD_DAYS_ELAPSED = 20;

const DAY = 86_400_000;

export async function seed(databaseUrl: string, options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const db = createDatabase(databaseUrl);
  try {
    if (await db.system.user.findUnique({ where: { email: DEMO_ADMIN.email } })) {
      log("demo data already present");
      return;
    }
    const now = new Date();
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.system.user.create({
      data: { ...DEMO_ADMIN, passwordHash, emailVerified: now, platformRole: "SUPER_ADMIN" },
    });
    for (const account of DEMO_ACCOUNTS) await seedAccount(db, account, passwordHash, now);
    const random = seededRandom(20_261_201);
    for (let index = 0; index < CUSTOMER_COUNT; index++) {
      await seedCustomer(db, customerProfile(index, random, now), now);
    }
    log(
      `seeded ${DEMO_ACCOUNTS.length} demo organizations, ${CUSTOMER_COUNT} customer organizations with a year of history, and a platform admin`,
    );
  } finally {
    await db.disconnect();
  }
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

async function seedAccount(
  db: Database,
  account: (typeof DEMO_ACCOUNTS)[number],
  passwordHash: string,
  now: Date,
) {
  const periodStart = new Date(startOfUtcDay(now).getTime() - PERIOD_DAYS_ELAPSED * DAY);
  const startedAt = addMonths(periodStart, -account.customerForMonths);
  // Signed up, tried the product for ten days, then bought (the trial: signed up 3 days ago).
  const createdAt =
    account.planKey === "trial"
      ? new Date(now.getTime() - 3 * DAY)
      : new Date(startedAt.getTime() - 10 * DAY);
  const user = await db.system.user.create({
    data: {
      email: account.email,
      name: account.name,
      passwordHash,
      emailVerified: createdAt,
      createdAt,
    },
  });
  const organization = await createOrganizationWithOwner(
    db.app,
    { user: null, ipAddress: null, requestId: "seed" },
    { name: account.organization, ownerId: user.id, now: createdAt },
  );
  await db.system.organization.update({
    where: { id: organization.id },
    data: { createdAt },
  });
  if (account.planKey !== "trial") {
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
    const plan = getPlan(account.planKey);
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
  await seedUsage(db, organization.id, DEMO_USAGE[account.planKey] ?? {}, periodStart, now);
  await db.system.project.createMany({
    data: account.projects.map((name) => ({
      organizationId: organization.id,
      name,
      createdById: user.id,
      createdAt: new Date(Math.min(now.getTime(), createdAt.getTime() + DAY)),
    })),
  });
}

/**
 * Usage events for every day from `periodStart` to now (weekdays busier than weekends, a gentle
 * upward trend, some noise) adding up exactly to `totals`, and the period counters to match.
 */
async function seedUsage(
  db: Database,
  organizationId: string,
  totals: Partial<Record<MeterKey, number>>,
  periodStart: Date,
  now: Date,
) {
  const random = seededRandom(organizationId.length * 7919 + periodStart.getUTCDate());
  const days: Date[] = [];
  for (let day = startOfUtcDay(periodStart); day <= now; day = new Date(day.getTime() + DAY)) {
    days.push(day);
  }
  for (const [meter, total] of Object.entries(totals) as [MeterKey, number][]) {
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
    await db.system.usageEvent.createMany({
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
    await recordUsage(db.system, { organizationId, meter, quantity: total, now });
  }
}

interface CustomerProfile {
  name: string;
  owner: string;
  createdAt: Date;
  planKey: Exclude<PlanKey, "trial">;
  interval: "MONTH" | "YEAR";
  /** null: never converted (still trialing, or the trial lapsed). */
  startedAt: Date | null;
  canceledAt: Date | null;
  usage: Partial<Record<MeterKey, number>>;
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
function customerProfile(index: number, random: () => number, now: Date): CustomerProfile {
  const ageDays = Math.floor(380 * Math.pow(random(), 1.4)) + 1;
  const createdAt = new Date(now.getTime() - ageDays * DAY - Math.floor(random() * DAY));
  const roll = random();
  const planKey = roll < 0.5 ? "pro" : roll < 0.65 ? "enterprise" : roll < 0.8 ? "payg" : "hybrid";
  const interval = planKey !== "payg" && random() < 0.2 ? "YEAR" : "MONTH";
  const convertsAfterDays = 3 + Math.floor(random() * (TRIAL_DAYS - 3));
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
  const metered = planKey === "payg" || planKey === "hybrid";
  const scale = 0.3 + random();
  return {
    name: COMPANIES[index % COMPANIES.length]!,
    owner: PEOPLE[index % PEOPLE.length]!,
    createdAt,
    planKey,
    interval,
    startedAt,
    canceledAt,
    usage:
      metered && startedAt && !canceledAt
        ? {
            "api.requests": Math.round(90_000 * scale),
            "ai.tasks": Math.round(900 * scale),
            "session.minutes": Math.round(400 * scale),
          }
        : {},
  };
}

async function seedCustomer(db: Database, profile: CustomerProfile, now: Date) {
  const slugPart = profile.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const user = await db.system.user.create({
    data: {
      email: `${profile.owner.split(" ")[0]!.toLowerCase()}@${slugPart}.example.com`,
      name: profile.owner,
      emailVerified: profile.createdAt,
      createdAt: profile.createdAt,
    },
  });
  const organization = await createOrganizationWithOwner(
    db.app,
    { user: null, ipAddress: null, requestId: "seed" },
    { name: profile.name, ownerId: user.id, now: profile.createdAt },
  );
  await db.system.organization.update({
    where: { id: organization.id },
    data: { createdAt: profile.createdAt },
  });
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
    await seedUsage(db, organization.id, profile.usage, periodStart, now);
  }
  await db.system.project.createMany({
    data: ["Main app", "Internal tools"].slice(0, profile.startedAt ? 2 : 1).map((name) => ({
      organizationId: organization.id,
      name,
      createdById: user.id,
      createdAt: profile.createdAt,
    })),
  });
}
