// The organization-context cache (@plinth/platform's organization-context-cache.ts) on real PostgreSQL with a
// real LISTEN connection: a member's second bind is served from memory (proved by changing the
// row with the notify trigger disabled: the cache still answers the old role), and every change
// the triggers see — role, removal, plan, rename — reaches the next bind once NOTIFY is heard.
// An API key never gets another organization's entry; without a connected listener nothing is
// cached; a reconnect empties the cache.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@plinth/core/logger";
import { createNotificationListener, type NotificationListener } from "@plinth/db/notifications";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { activeProduct } from "../src/index.ts";
import {
  bindOrganization,
  createRequestScope,
  ENTITLEMENTS_REUSE_MS,
  listeningOrganizationContextCache,
  OrganizationContextCache,
  type OrganizationContext,
} from "@plinth/platform";

let db: TestDatabase;
let listener: NotificationListener;
let cache: OrganizationContextCache;
let closeCache: () => void;
let orgA: string;
let orgB: string;
let alice: { id: string; email: string };

const billing = { stripe: null, appUrl: "http://cache.test", pastDueGraceDays: 7 };
const logger = createLogger({ level: "silent" });

function userScope(user: { id: string; email: string }, organizationContexts = cache) {
  return createRequestScope({
    database: db,
    product: activeProduct(),
    actor: {
      kind: "user",
      user: {
        id: user.id,
        email: user.email,
        name: null,
        platformRole: "USER",
        status: "ACTIVE",
        emailVerified: null,
      },
      sessionToken: null,
    },
    requestId: "cache-test",
    ip: null,
    userAgent: null,
    logger,
    billing,
    organizationContexts,
  });
}

function keyScope(organizationId: string, clock?: { now(): Date }) {
  return createRequestScope({
    ...(clock ? { clock } : {}),
    database: db,
    product: activeProduct(),
    actor: { kind: "apiKey", key: { id: "key", organizationId, name: "k", scopes: [] } },
    requestId: "cache-test",
    ip: null,
    userAgent: null,
    logger,
    billing,
    organizationContexts: cache,
  });
}

/** Changes rows without the notify triggers firing (what a missed notification would be). */
async function silently(table: string, statement: string) {
  await db.system.$transaction([
    db.system.$executeRawUnsafe(`ALTER TABLE "${table}" DISABLE TRIGGER USER`),
    db.system.$executeRawUnsafe(statement),
    db.system.$executeRawUnsafe(`ALTER TABLE "${table}" ENABLE TRIGGER USER`),
  ]);
}

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every notification sent before this call has been handled (they arrive in order). */
async function settled() {
  const barrier = `barrier-${Math.random()}`;
  let heard = false;
  const off = listener.subscribe("organization_context", (payload) => {
    if (payload === barrier) heard = true;
  });
  await db.system.$executeRaw`SELECT pg_notify('organization_context', ${barrier})`;
  await until(() => heard, "the barrier notification");
  off();
}

const [firstPlan, secondPlan] = activeProduct()
  .catalog.plans.filter((plan) => plan.purchasable)
  .map((plan) => plan.key);

const roleOf = async (user = alice, organizationId = orgA) =>
  (await bindOrganization(userScope(user), organizationId, { write: false })).role;

beforeAll(async () => {
  db = await createTestDatabase();
  listener = createNotificationListener({ connectionString: db.url, minBackoffMs: 20 });
  ({ cache, close: closeCache } = listeningOrganizationContextCache(listener));
  await listener.ready();
  const [a, b] = await Promise.all([
    db.system.organization.create({ data: { name: "A", slug: "cache-a" } }),
    db.system.organization.create({ data: { name: "B", slug: "cache-b" } }),
  ]);
  orgA = a.id;
  orgB = b.id;
  alice = await db.system.user.create({ data: { email: "alice@cache.test" } });
  await db.system.membership.create({
    data: { organizationId: orgA, userId: alice.id, role: "MEMBER" },
  });
  await db.system.subscription.create({
    data: { organizationId: orgA, planKey: firstPlan!, status: "ACTIVE" },
  });
  await settled();
});
afterAll(async () => {
  closeCache();
  await listener.close();
  await db.drop();
});

describe("the organization-context cache", () => {
  it("answers a member's second bind from memory, until a change is heard", async () => {
    expect(await roleOf()).toBe("MEMBER");
    expect(cache.size).toBe(1);
    // A change nobody is told of: the cache still answers what it read.
    await silently(
      "memberships",
      `UPDATE memberships SET role = 'ADMIN' WHERE user_id = '${alice.id}'`,
    );
    expect(await roleOf()).toBe("MEMBER");

    // The same change through the trigger: the entry goes, the next bind reads.
    await db.system.membership.updateMany({ where: { userId: alice.id }, data: { role: "OWNER" } });
    await until(() => cache.size === 0, "the membership notification");
    expect(await roleOf()).toBe("OWNER");
  });

  it("hears a plan change, a rename and a removal", async () => {
    const bind = () => bindOrganization(userScope(alice), orgA, { write: false });
    expect((await bind()).entitlements.plan.key).toBe(firstPlan);
    await db.system.subscription.update({
      where: { organizationId: orgA },
      data: { planKey: secondPlan! },
    });
    await until(() => cache.size === 0, "the subscription notification");
    expect((await bind()).entitlements.plan.key).toBe(secondPlan);

    await db.system.organization.update({ where: { id: orgA }, data: { name: "A renamed" } });
    await until(() => cache.size === 0, "the organization notification");
    expect((await bind()).organization.name).toBe("A renamed");

    await db.system.membership.deleteMany({ where: { userId: alice.id } });
    await until(() => cache.size === 0, "the removal notification");
    await expect(bind()).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    expect(cache.size).toBe(0); // a refusal is not cached
    await db.system.membership.create({
      data: { organizationId: orgA, userId: alice.id, role: "MEMBER" },
    });
    await settled();
  });

  it("reuses the entitlements of a cached context for up to a second, anew after a change", async () => {
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const bind = () => bindOrganization(keyScope(orgA, clock), orgA, { write: false });
    const first = await bind();
    expect((await bind()).entitlements).toBe(first.entitlements);
    now += ENTITLEMENTS_REUSE_MS - 1;
    expect((await bind()).entitlements).toBe(first.entitlements);
    now += 1; // they depend on the clock (trial end, grace period): resolved again
    const later = await bind();
    expect(later.entitlements).not.toBe(first.entitlements);
    expect(later.entitlements).toEqual(first.entitlements);

    const planBefore = later.entitlements.plan.key;
    const otherPlan = planBefore === firstPlan ? secondPlan! : firstPlan!;
    await db.system.subscription.update({
      where: { organizationId: orgA },
      data: { planKey: otherPlan },
    });
    await until(() => cache.size === 0, "the subscription notification");
    expect((await bind()).entitlements.plan.key).toBe(otherPlan);
    await db.system.subscription.update({
      where: { organizationId: orgA },
      data: { planKey: planBefore },
    });
    await settled();
  });

  it("never gives an API key another organization's entry", async () => {
    await bindOrganization(keyScope(orgB), orgB, { write: false });
    await expect(bindOrganization(keyScope(orgA), orgB, { write: false })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    // Nor a member of A the organization B they do not belong to.
    await expect(roleOf(alice, orgB)).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
  });

  it("caches nothing while the listener is not connected", async () => {
    const offline = new OrganizationContextCache({ listening: () => false });
    const bind = () => bindOrganization(userScope(alice, offline), orgA, { write: false });
    expect((await bind()).role).toBe("MEMBER");
    await silently(
      "memberships",
      `UPDATE memberships SET role = 'ADMIN' WHERE user_id = '${alice.id}'`,
    );
    expect((await bind()).role).toBe("ADMIN");
    expect(offline.size).toBe(0);
  });

  it("empties itself after a reconnect (notifications may have been missed)", async () => {
    await roleOf();
    expect(cache.size).toBeGreaterThan(0);
    const before = listener.reconnects;
    await db.system.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%'`;
    await until(() => listener.reconnects > before && listener.connected, "the reconnect");
    expect(cache.size).toBe(0);
  });
});

describe("OrganizationContextCache", () => {
  const context = (name: string): OrganizationContext => ({
    role: "MEMBER",
    organization: { id: "o", name, slug: "o", trialEndsAt: null, createdAt: new Date(0) },
    subscription: null,
  });

  it("shares one read between concurrent misses and expires entries after their lifetime", async () => {
    let now = 0;
    let reads = 0;
    const local = new OrganizationContextCache({
      listening: () => true,
      ttlMs: 100,
      now: () => now,
    });
    const load = () => {
      reads += 1;
      return Promise.resolve(context(`read ${reads}`));
    };
    const [first, second] = await Promise.all([
      local.get("o", "u", load),
      local.get("o", "u", load),
    ]);
    expect(reads).toBe(1);
    expect(second).toBe(first);
    now = 99;
    await local.get("o", "u", load);
    expect(reads).toBe(1);
    now = 100;
    expect((await local.get("o", "u", load)).organization.name).toBe("read 2");
  });

  it("drops a read that an invalidation overtook, and failed reads", async () => {
    const local = new OrganizationContextCache({ listening: () => true });
    let release!: (value: OrganizationContext) => void;
    const slow = local.get("o", "u", () => new Promise((resolve) => (release = resolve)));
    local.invalidate("o");
    release(context("before the change"));
    await slow;
    expect(
      (await local.get("o", "u", () => Promise.resolve(context("after")))).organization.name,
    ).toBe("after");

    await expect(local.get("f", "u", () => Promise.reject(new Error("down")))).rejects.toThrow(
      "down",
    );
    expect(
      (await local.get("f", "u", () => Promise.resolve(context("up")))).organization.name,
    ).toBe("up");
  });

  it("holds at most maxEntries, dropping the oldest organization's first", async () => {
    const local = new OrganizationContextCache({ listening: () => true, maxEntries: 3 });
    for (const organizationId of ["a", "b", "c", "d"]) {
      await local.get(organizationId, "u", () => Promise.resolve(context(organizationId)));
    }
    expect(local.size).toBe(3);
    let reread = false;
    await local.get("a", "u", () => {
      reread = true;
      return Promise.resolve(context("a again"));
    });
    expect(reread).toBe(true);
  });
});
