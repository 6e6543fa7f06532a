// Demo data: one organization on each plan with an owner you can sign in as, and one
// platform admin. Idempotent: running it again changes nothing (`npm run dev` runs it every
// start). All demo accounts share DEMO_PASSWORD; README lists them.
import { createOrganizationWithOwner } from "@plinth/api";
import { hashPassword } from "@plinth/auth/password";
import { createDatabase, type Database } from "@plinth/db";

export const DEMO_PASSWORD = "plinth-demo-1234";

export const DEMO_ACCOUNTS = [
  { email: "trial@demo.plinth.dev", name: "Tess Trial", organization: "Trial Testing Co", planKey: "trial", projects: ["Checkout flows"] },
  { email: "pro@demo.plinth.dev", name: "Priya Pro", organization: "Pro Automation Ltd", planKey: "pro", projects: ["Web app", "Mobile app", "Public API"] },
  { email: "enterprise@demo.plinth.dev", name: "Emil Enterprise", organization: "Enterprise Hosting Inc", planKey: "enterprise", projects: ["Staging cluster", "Production cluster"] },
  { email: "payg@demo.plinth.dev", name: "Pat Payg", organization: "Metered APIs GmbH", planKey: "payg", projects: ["Geocoding API"] },
  { email: "hybrid@demo.plinth.dev", name: "Hana Hybrid", organization: "Voice Training SAS", planKey: "hybrid", projects: ["Cold-call drills"] },
] as const;

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

async function seedAccount(db: Database, account: (typeof DEMO_ACCOUNTS)[number], passwordHash: string) {
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
  }
  await db.system.project.createMany({
    data: account.projects.map((name) => ({ organizationId: organization.id, name, createdById: user.id })),
  });
}
