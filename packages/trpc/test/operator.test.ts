// The operator console: platform admins only (every platform procedure is enumerated, so a
// new one without the guard fails here), revenue/usage numbers from real rows, failed-job
// retry and user suspension with their audit entries.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueSystem, jobs, listFailedJobs } from "@plinth/jobs";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { appRouter } from "./kit.ts";
import { callerFor, createOrganization, createUser, setPlan } from "./kit.ts";

let db: TestDatabase;
let admin: Awaited<ReturnType<typeof createUser>>;
let alice: Awaited<ReturnType<typeof createUser>>;

type ProcedureDef = { _def: { type: string; meta?: { access?: string } } };
const platformProcedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
)
  .filter(([, procedure]) => procedure._def.meta?.access === "platform")
  .map(([path, procedure]) => ({ path, type: procedure._def.type }));

async function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown) {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await createUser(db, "ops@plinth.test", { platformRole: "SUPER_ADMIN" });
  alice = await createUser(db, "alice@a.test");
  const pro = await createOrganization(db, alice, "Pro Co");
  const enterprise = await createOrganization(db, alice, "Big Co");
  await createOrganization(db, alice, "Trying Co");
  await setPlan(db, pro.id, "pro");
  await setPlan(db, enterprise.id, "enterprise");
  await db.system.subscription.update({
    where: { organizationId: enterprise.id },
    data: { interval: "YEAR" },
  });
  const periodStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  await db.system.usageCounter.createMany({
    data: [
      { organizationId: pro.id, meter: "api.requests", periodStart, quantity: 1200n },
      { organizationId: enterprise.id, meter: "api.requests", periodStart, quantity: 300n },
      { organizationId: enterprise.id, meter: "ai.tasks", periodStart, quantity: 7n },
    ],
  });
});
afterAll(() => db.drop());

describe("operator console access", () => {
  it("has platform procedures", () => {
    expect(platformProcedures.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        "operator.overview",
        "operator.failedJobs",
        "operator.retryJob",
        "operator.setUserStatus",
      ]),
    );
  });

  it.each(platformProcedures)(
    "$path refuses a regular user (FORBIDDEN) and an anonymous one (UNAUTHORIZED)",
    async ({ path }) => {
      const asUser = await failure(
        call(callerFor(db, alice), path, { userId: admin.id, status: "SUSPENDED", jobId: "1" }),
      );
      expect(asUser).toBeInstanceOf(TRPCError);
      expect((asUser as TRPCError).code).toBe("FORBIDDEN");
      const anonymous = await failure(call(callerFor(db, null), path, {}));
      expect((anonymous as TRPCError).code).toBe("UNAUTHORIZED");
      expect((await db.system.user.findUniqueOrThrow({ where: { id: admin.id } })).status).toBe(
        "ACTIVE",
      );
    },
  );
});

describe("overview", () => {
  it("counts tenants per plan, monthly recurring revenue and this month's usage", async () => {
    const overview = await callerFor(db, admin).operator.overview();
    expect(overview.organizations).toBe(3);
    expect(overview.subscriptions).toEqual(
      expect.arrayContaining([
        { planKey: "pro", planName: "Pro", status: "ACTIVE", count: 1 },
        { planKey: "enterprise", planName: "Enterprise", status: "ACTIVE", count: 1 },
        { planKey: "trial", planName: "Trial", status: "TRIALING", count: 1 },
      ]),
    );
    // Pro monthly 29.00 + Enterprise yearly 1,990.00 / 12.
    expect(overview.mrrCents).toBe(2_900 + Math.round(199_000 / 12));
    expect(overview.usageThisMonth).toEqual({
      "api.requests": 1_500,
      "ai.tasks": 7,
      "ai.tokens": 0,
      "session.minutes": 0,
      "test.runs": 0,
      "browser.minutes": 0,
      "api.units": 0,
    });
    expect(overview.users.total).toBe(2);
  });

  it("searches organizations across tenants", async () => {
    const found = await callerFor(db, admin).operator.organizations({ query: "big" });
    expect(found.organizations.map((o) => [o.name, o.subscription?.planKey, o.members])).toEqual([
      ["Big Co", "enterprise", 1],
    ]);
  });
});

describe("failed jobs", () => {
  it("lists a job that exhausted its attempts and retries it once, audited", async () => {
    const job = await enqueueSystem(db.system, jobs.emailSend, { emailId: "missing-email" });
    await db.system.$executeRaw`
      UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = 'Error: SMTP refused' WHERE id = ${BigInt(job.id)}`;
    const caller = callerFor(db, admin);
    const failed = await caller.operator.failedJobs({});
    expect(failed).toEqual([
      expect.objectContaining({ id: job.id, name: "email.send", lastError: "Error: SMTP refused" }),
    ]);

    expect((await caller.operator.queue()).failed).toBe(1);

    await caller.operator.retryJob({ jobId: job.id });
    expect(await listFailedJobs(db.system)).toEqual([]);
    expect(await caller.operator.queue()).toMatchObject({ failed: 0, waiting: 1 });
    const [row] = await db.system.$queryRaw<{ attempts: number }[]>`
      SELECT attempts FROM graphile_worker._private_jobs WHERE id = ${BigInt(job.id)}`;
    expect(row?.attempts).toBe(0);
    expect(
      await db.system.auditLog.findFirst({ where: { action: "job.retried", targetId: job.id } }),
    ).toMatchObject({
      organizationId: null,
      actorId: admin.id,
    });
  });

  it("answers NOT_FOUND for an unknown job and BAD_REQUEST for a malformed id", async () => {
    const caller = callerFor(db, admin);
    expect(((await failure(caller.operator.retryJob({ jobId: "999999" }))) as TRPCError).code).toBe(
      "NOT_FOUND",
    );
    expect(
      ((await failure(caller.operator.retryJob({ jobId: "1; DROP" }))) as TRPCError).code,
    ).toBe("BAD_REQUEST");
  });
});

describe("user suspension", () => {
  it("suspends a user, ends their sessions, audits it, and reactivates", async () => {
    const bob = await createUser(db, "bob@b.test");
    await db.system.session.create({
      data: {
        sessionToken: "bob-session",
        userId: bob.id,
        expires: new Date(Date.now() + 86_400_000),
      },
    });
    const caller = callerFor(db, admin);
    await caller.operator.setUserStatus({ userId: bob.id, status: "SUSPENDED" });
    expect((await db.system.user.findUniqueOrThrow({ where: { id: bob.id } })).status).toBe(
      "SUSPENDED",
    );
    expect(await db.system.session.count({ where: { userId: bob.id } })).toBe(0);
    await caller.operator.setUserStatus({ userId: bob.id, status: "ACTIVE" });
    const actions = await db.system.auditLog.findMany({
      where: { targetId: bob.id },
      orderBy: { createdAt: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual(["user.suspended", "user.reactivated"]);
  });

  it("refuses to suspend yourself", async () => {
    const error = await failure(
      callerFor(db, admin).operator.setUserStatus({ userId: admin.id, status: "SUSPENDED" }),
    );
    expect((error as TRPCError).code).toBe("PRECONDITION_FAILED");
  });
});

describe("revenue history", () => {
  it("measures MRR at each month's end, new organizations and churn over 12 months", async () => {
    const now = new Date("2026-06-15T12:00:00Z");
    const owner = await createUser(db, "history-owner@a.test");
    const at = (iso: string) => new Date(iso);
    const org = async (name: string, createdAt: string, subscription: Record<string, unknown>) => {
      const created = await createOrganization(db, owner, name);
      await db.system.organization.update({
        where: { id: created.id },
        data: { createdAt: at(createdAt) },
      });
      await db.system.subscription.update({
        where: { organizationId: created.id },
        data: subscription,
      });
    };
    await org("Monthly Pro", "2025-08-30T10:00:00Z", {
      planKey: "pro",
      status: "ACTIVE",
      interval: "MONTH",
      startedAt: at("2025-09-10T00:00:00Z"),
    });
    await org("Yearly Churned", "2026-01-10T10:00:00Z", {
      planKey: "enterprise",
      status: "CANCELED",
      interval: "YEAR",
      startedAt: at("2026-01-20T00:00:00Z"),
      canceledAt: at("2026-04-05T00:00:00Z"),
    });
    await org("New Hybrid", "2026-05-20T10:00:00Z", {
      planKey: "hybrid",
      status: "ACTIVE",
      interval: "MONTH",
      startedAt: at("2026-06-01T00:00:00Z"),
    });
    await org("Still Trying", "2026-05-03T10:00:00Z", {});

    const history = await callerFor(db, admin, { now: () => now }).operator.history();
    const yearly = Math.round(199_000 / 12);
    expect(history.months).toEqual([
      { month: "2025-07", mrrCents: 0, newOrganizations: 0, churned: 0 },
      { month: "2025-08", mrrCents: 0, newOrganizations: 1, churned: 0 },
      { month: "2025-09", mrrCents: 2_900, newOrganizations: 0, churned: 0 },
      { month: "2025-10", mrrCents: 2_900, newOrganizations: 0, churned: 0 },
      { month: "2025-11", mrrCents: 2_900, newOrganizations: 0, churned: 0 },
      { month: "2025-12", mrrCents: 2_900, newOrganizations: 0, churned: 0 },
      { month: "2026-01", mrrCents: 2_900 + yearly, newOrganizations: 1, churned: 0 },
      { month: "2026-02", mrrCents: 2_900 + yearly, newOrganizations: 0, churned: 0 },
      { month: "2026-03", mrrCents: 2_900 + yearly, newOrganizations: 0, churned: 0 },
      { month: "2026-04", mrrCents: 2_900, newOrganizations: 0, churned: 1 },
      { month: "2026-05", mrrCents: 2_900, newOrganizations: 2, churned: 0 },
      { month: "2026-06", mrrCents: 2_900 + 4_900, newOrganizations: 0, churned: 0 },
    ]);
    // Plans now: live subscriptions of every organization in this database.
    const live = await db.system.subscription.groupBy({
      by: ["planKey"],
      where: { status: { not: "CANCELED" } },
      _count: { _all: true },
    });
    expect(history.byPlan).toHaveLength(live.length);
    expect(history.byPlan).toEqual(
      expect.arrayContaining(
        live.map(
          (group) =>
            expect.objectContaining({
              planKey: group.planKey,
              count: group._count._all,
            }) as unknown,
        ),
      ),
    );
    expect(history.byPlan.find((p) => p.planKey === "enterprise")).toEqual({
      planKey: "enterprise",
      planName: "Enterprise",
      count: 1, // Big Co (the yearly one churned)
    });
  });
});
