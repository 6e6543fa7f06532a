// Demo data of the active product (PLINTH_PRODUCT, plinth.config.ts): one organization per
// plan of the preset, each with an owner you can sign in as, usage on the metered ones, a
// test-mode invoice for the paid ones, and its modules' example records (projects…); plus one
// platform admin. Idempotent: running it again changes nothing (`npm run dev` runs it every
// start). All demo accounts share DEMO_PASSWORD; README lists them.
import { hashPassword } from "@plinth/auth/password";
import { recordLocalInvoice } from "@plinth/billing/invoices";
import { recordUsage } from "@plinth/billing/usage";
import { systemAudit } from "@plinth/core/audit";
import { createDatabase, systemClient, type PrismaClient } from "@plinth/db";
import { createOrganizationWithOwner, type DemoAccount, type Preset } from "@plinth/platform";
import { activePreset, createProductRuntime } from "@plinth/product";

export const DEMO_PASSWORD = "plinth-demo-1234";
export const DEMO_ADMIN = { email: "admin@demo.plinth.dev", name: "Ada Admin" } as const;

/** The demo organizations of `preset` (default: the active one), with their plan. */
export function demoAccounts(preset: Preset = activePreset()) {
  return Object.entries(preset.demo).map(([planKey, account]) => ({ planKey, ...account }));
}

export async function seed(
  databaseUrl: string,
  options: { log?: (line: string) => void; preset?: Preset } = {},
) {
  const log = options.log ?? (() => {});
  const preset = options.preset ?? activePreset();
  const database = createDatabase(databaseUrl);
  const system = systemClient(database, "seed: demo users, subscriptions and usage");
  try {
    if (await system.user.findUnique({ where: { email: DEMO_ADMIN.email } })) {
      log("demo data already present");
      return;
    }
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system.user.create({
      data: { ...DEMO_ADMIN, passwordHash, emailVerified: new Date(), platformRole: "SUPER_ADMIN" },
    });
    const accounts = demoAccounts(preset);
    for (const account of accounts) {
      await seedAccount(database.app, system, preset, account, passwordHash);
    }
    log(`seeded ${accounts.length} demo organizations of "${preset.key}" and a platform admin`);
  } finally {
    await database.disconnect();
  }
}

async function seedAccount(
  app: PrismaClient,
  system: PrismaClient,
  preset: Preset,
  account: DemoAccount & { planKey: string },
  passwordHash: string,
) {
  const product = createProductRuntime(preset);
  const now = new Date();
  const user = await system.user.create({
    data: { email: account.email, name: account.name, passwordHash, emailVerified: now },
  });
  const organization = await createOrganizationWithOwner(
    app,
    product.catalog,
    systemAudit("seed", "seed"),
    { name: account.organization, ownerId: user.id, now },
  );
  const plan = product.catalog.getPlan(account.planKey);
  if (account.planKey !== product.catalog.trialPlan.key) {
    const periodEnd = new Date(now.getTime() + 30 * 86_400_000);
    await system.subscription.update({
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
    await recordLocalInvoice(system, {
      organizationId: organization.id,
      amount: plan?.prices.month ?? 0,
      description: `${plan?.name ?? account.planKey} (monthly) — test mode`,
      periodStart: now,
      periodEnd,
      issuedAt: now,
    });
  }
  for (const [meter, quantity] of Object.entries(account.usage ?? {})) {
    if (quantity) await recordUsage(system, { organizationId: organization.id, meter, quantity, now });
  }
  // Each enabled module's example records, named by the preset.
  for (const module of product.modules) {
    const names = account.records?.[module.key];
    if (!module.demo || !names?.length) continue;
    const seedModule = module.demo;
    await system.$transaction((tx) =>
      seedModule(tx, { organizationId: organization.id, ownerId: user.id, names }),
    );
  }
}
