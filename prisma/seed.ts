// Demo data: one organization on each plan with an owner you can sign in as, and one
// platform admin. Idempotent: running it again changes nothing (`npm run dev` runs it every
// start). All demo accounts share DEMO_PASSWORD; README lists them.
import { createOrganizationWithOwner } from "@plinth/api";
import { hashPassword } from "@plinth/auth/password";
import { getPlan, type MeterKey } from "@plinth/billing";
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
  },
  {
    email: "pro@demo.plinth.dev",
    name: "Priya Pro",
    organization: "Pro Automation Ltd",
    planKey: "pro",
    projects: ["Web app", "Mobile app", "Public API"],
  },
  {
    email: "enterprise@demo.plinth.dev",
    name: "Emil Enterprise",
    organization: "Enterprise Hosting Inc",
    planKey: "enterprise",
    projects: ["Staging cluster", "Production cluster"],
  },
  {
    email: "payg@demo.plinth.dev",
    name: "Pat Payg",
    organization: "Metered APIs GmbH",
    planKey: "payg",
    projects: ["Geocoding API"],
  },
  {
    email: "hybrid@demo.plinth.dev",
    name: "Hana Hybrid",
    organization: "Voice Training SAS",
    planKey: "hybrid",
    projects: ["Cold-call drills"],
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

export async function seed(databaseUrl: string, options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const db = createDatabase(databaseUrl);
  try {
    if (await db.system.user.findUnique({ where: { email: DEMO_ADMIN.email } })) {
      log("demo data already present");
      return;
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.system.user.create({
      data: { ...DEMO_ADMIN, passwordHash, emailVerified: new Date(), platformRole: "SUPER_ADMIN" },
    });
    for (const account of DEMO_ACCOUNTS) await seedAccount(db, account, passwordHash);
    log(`seeded ${DEMO_ACCOUNTS.length} demo organizations and a platform admin`);
  } finally {
    await db.disconnect();
  }
}

async function seedAccount(
  db: Database,
  account: (typeof DEMO_ACCOUNTS)[number],
  passwordHash: string,
) {
  const now = new Date();
  const user = await db.system.user.create({
    data: { email: account.email, name: account.name, passwordHash, emailVerified: now },
  });
  const context = { user: null, ipAddress: null, requestId: "seed" };
  const organization = await createOrganizationWithOwner(db.app, context, {
    name: account.organization,
    ownerId: user.id,
    now,
  });
  if (account.planKey !== "trial") {
    const periodEnd = new Date(now.getTime() + 30 * 86_400_000);
    await db.system.subscription.update({
      where: { organizationId: organization.id },
      data: {
        planKey: account.planKey,
        status: "ACTIVE",
        interval: "MONTH",
        trialEndsAt: null,
        currentPeriodStart: now,
        currentPeriodEnd: periodEnd,
      },
    });
    const plan = getPlan(account.planKey);
    await recordLocalInvoice(db.system, {
      organizationId: organization.id,
      amount: plan?.prices.month ?? 0,
      description: `${plan?.name ?? account.planKey} (monthly) — test mode`,
      periodStart: now,
      periodEnd,
      issuedAt: now,
    });
  }
  for (const [meter, quantity] of Object.entries(DEMO_USAGE[account.planKey] ?? {})) {
    await recordUsage(db.system, {
      organizationId: organization.id,
      meter: meter as MeterKey,
      quantity,
      now,
    });
  }
  await db.system.project.createMany({
    data: account.projects.map((name) => ({
      organizationId: organization.id,
      name,
      createdById: user.id,
    })),
  });
}
