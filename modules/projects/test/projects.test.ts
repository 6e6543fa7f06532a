import { TRPCError } from "@plinth/trpc/testing";
import { handleTrpcRequest } from "@plinth/trpc/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { AppErrorData } from "@plinth/core/errors";
import { createContext, type ErrorData } from "@plinth/trpc";
import {
  addMember,
  appRouter,
  product,
  callerFor,
  createOrganization,
  createUser,
  setPlan,
  silentLogger,
} from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; appError: AppErrorData | null; fieldErrors: ErrorData["fieldErrors"] }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  // What the client receives: the formatter's data, computed from the cause.
  const { AppError } = await import("@plinth/core/errors");
  const { z } = await import("zod");
  return {
    code: error.code,
    appError: error.cause instanceof AppError ? error.cause.data : null,
    fieldErrors:
      error.cause instanceof z.core.$ZodError ? z.flattenError(error.cause).fieldErrors : null,
  };
}

describe("plan gating on projects", () => {
  it("a trial allows one project and refuses the second with upgrade data", async () => {
    const owner = await createUser(db, "trial@x.test");
    const org = await createOrganization(db, owner, "Trial Co");
    const api = callerFor(db, owner);
    await api.project.create({ organizationId: org.id, name: "First" });
    const refused = await refusal(api.project.create({ organizationId: org.id, name: "Second" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.appError).toEqual({
      code: "PLAN_LIMIT_REACHED",
      limit: "projects",
      current: 1,
      max: 1,
      currentPlan: "trial",
      upgrade: { planKey: "payg", planName: "Pay as you go" },
    });
    expect(await api.project.list({ organizationId: org.id })).toHaveLength(1);
  });

  it("archiving frees the slot; unarchiving counts against the limit again", async () => {
    const owner = await createUser(db, "archive@x.test");
    const org = await createOrganization(db, owner, "Archive Co");
    const api = callerFor(db, owner);
    const first = await api.project.create({ organizationId: org.id, name: "First" });
    await api.project.archive({ organizationId: org.id, projectId: first.id });
    await api.project.create({ organizationId: org.id, name: "Second" });
    const refused = await refusal(
      api.project.unarchive({ organizationId: org.id, projectId: first.id }),
    );
    expect(refused.appError?.code).toBe("PLAN_LIMIT_REACHED");
    expect(await api.project.list({ organizationId: org.id, status: "ARCHIVED" })).toHaveLength(1);
  });

  it("concurrent creates on a trial cannot both slip under the limit", async () => {
    const owner = await createUser(db, "race@x.test");
    const org = await createOrganization(db, owner, "Race Co");
    const api = callerFor(db, owner);
    const results = await Promise.allSettled(
      ["a", "b", "c", "d"].map((name) => api.project.create({ organizationId: org.id, name })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.system.project.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it("Pro and Enterprise have unlimited projects", async () => {
    for (const plan of ["pro", "enterprise"]) {
      const owner = await createUser(db, `${plan}@x.test`);
      const org = await createOrganization(db, owner, `${plan} Co`);
      await setPlan(db, org.id, plan);
      const api = callerFor(db, owner);
      for (let i = 0; i < 5; i++)
        await api.project.create({ organizationId: org.id, name: `P${i}` });
      expect(await api.project.list({ organizationId: org.id })).toHaveLength(5);
    }
  });

  it("after the trial expires reads work and writes are refused with TRIAL_EXPIRED", async () => {
    const owner = await createUser(db, "expired@x.test");
    const org = await createOrganization(db, owner, "Expired Co");
    const api = callerFor(db, owner);
    const project = await api.project.create({ organizationId: org.id, name: "Kept" });
    const later = callerFor(db, owner, { now: () => new Date(Date.now() + 15 * 86_400_000) });
    expect(await later.project.list({ organizationId: org.id })).toHaveLength(1);
    const refused = await refusal(
      later.project.rename({ organizationId: org.id, projectId: project.id, name: "New" }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.appError).toMatchObject({
      code: "READ_ONLY",
      reason: "TRIAL_EXPIRED",
      currentPlan: "trial",
    });
    expect((await db.system.project.findUniqueOrThrow({ where: { id: project.id } })).name).toBe(
      "Kept",
    );
  });
});

describe("projects", () => {
  it("rename, archive, delete write the audit log with who, what, changes, IP and request id", async () => {
    const owner = await createUser(db, "audit@x.test");
    const org = await createOrganization(db, owner, "Audit Co");
    await setPlan(db, org.id, "pro");
    const api = callerFor(db, owner);
    const project = await api.project.create({ organizationId: org.id, name: "Alpha" });
    await api.project.rename({ organizationId: org.id, projectId: project.id, name: "Beta" });
    await api.project.archive({ organizationId: org.id, projectId: project.id });
    await api.project.delete({ organizationId: org.id, projectId: project.id });
    const page = await api.audit.list({ organizationId: org.id, limit: 3 });
    expect(page.items.map((i) => i.action)).toEqual([
      "project.deleted",
      "project.archived",
      "project.renamed",
    ]);
    expect(page.items[2]).toMatchObject({
      actorId: owner.id,
      targetType: "project",
      targetId: project.id,
      changes: { name: { from: "Alpha", to: "Beta" } },
      ipAddress: "203.0.113.7",
      requestId: "test-request",
    });
    const next = await api.audit.list({
      organizationId: org.id,
      limit: 3,
      cursor: page.nextCursor,
    });
    expect(next.items.map((i) => i.action)).toEqual(["project.created", "organization.created"]);
    expect(next.nextCursor).toBeNull();
  });

  it("over HTTP, the error formatter puts the contract's field errors in error.data", async () => {
    // What a form shows under its fields: the contracts are zod "mini" schemas, whose errors
    // the formatter must recognise as well as classic zod's.
    const owner = await createUser(db, "http-bad@x.test");
    const org = await createOrganization(db, owner, "Http Bad Co");
    const response = await handleTrpcRequest({
      endpoint: "/api/trpc",
      router: appRouter,
      requestId: "projects-test",
      logger: silentLogger,
      request: new Request("http://app.test/api/trpc/project.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { organizationId: org.id, name: "   " } }),
      }),
      createContext: () =>
        createContext({ database: db, product, user: owner, logger: silentLogger }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { json: { data: ErrorData & { code: string } } };
    };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.data.fieldErrors).toEqual({ name: ["Enter a project name"] });
  });

  it("bad input is BAD_REQUEST with field errors and writes nothing", async () => {
    const owner = await createUser(db, "bad@x.test");
    const org = await createOrganization(db, owner, "Bad Co");
    const api = callerFor(db, owner);
    const refused = await refusal(api.project.create({ organizationId: org.id, name: "   " }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.fieldErrors?.name?.length).toBeGreaterThan(0);
    expect(await db.system.project.count({ where: { organizationId: org.id } })).toBe(0);
    expect(
      await db.system.auditLog.count({
        where: { organizationId: org.id, action: { startsWith: "project" } },
      }),
    ).toBe(0);
  });

  it("duplicate names are a CONFLICT on the name field", async () => {
    const owner = await createUser(db, "dup@x.test");
    const org = await createOrganization(db, owner, "Dup Co");
    await setPlan(db, org.id, "pro");
    const api = callerFor(db, owner);
    await api.project.create({ organizationId: org.id, name: "Same" });
    const refused = await refusal(api.project.create({ organizationId: org.id, name: "Same" }));
    expect(refused).toMatchObject({
      code: "CONFLICT",
      appError: { code: "CONFLICT", field: "name" },
    });
  });

  it("members cannot delete projects or read the audit log; signed-out callers are UNAUTHORIZED", async () => {
    const owner = await createUser(db, "roles@x.test");
    const member = await createUser(db, "member@x.test");
    const org = await createOrganization(db, owner, "Roles Co");
    await addMember(db, org.id, member, "MEMBER");
    const project = await callerFor(db, owner).project.create({
      organizationId: org.id,
      name: "Owned",
    });
    const asMember = callerFor(db, member);
    expect(await asMember.project.list({ organizationId: org.id })).toHaveLength(1);
    expect(
      (await refusal(asMember.project.delete({ organizationId: org.id, projectId: project.id })))
        .appError,
    ).toEqual({
      code: "FORBIDDEN_ROLE",
      requiredRole: "ADMIN",
    });
    expect((await refusal(asMember.audit.list({ organizationId: org.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(callerFor(db, null).project.list({ organizationId: org.id }))).code).toBe(
      "UNAUTHORIZED",
    );
  });

  it("a suspended user loses access on the next call", async () => {
    const owner = await createUser(db, "suspended@x.test", { status: "SUSPENDED" });
    expect((await refusal(callerFor(db, owner).organization.list())).appError).toEqual({
      code: "ACCOUNT_DISABLED",
    });
  });

  it("organization.create makes the caller OWNER on a 14-day trial and lists it", async () => {
    const user = await createUser(db, "new@x.test");
    const api = callerFor(db, user);
    const first = await api.organization.create({ name: "Acme Widgets" });
    const second = await api.organization.create({ name: "Acme Widgets" });
    expect(first.slug).toBe("acme-widgets");
    expect(second.slug).toBe("acme-widgets-2");
    const mine = await api.organization.list();
    expect(mine.map((o) => [o.slug, o.role])).toEqual([
      ["acme-widgets", "OWNER"],
      ["acme-widgets-2", "OWNER"],
    ]);
    const details = await api.organization.get({ organizationId: first.id });
    expect(details).toMatchObject({ plan: { key: "trial" }, status: "trialing", access: "full" });
  });
});
