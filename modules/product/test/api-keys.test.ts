// API key management through the product's router on a real PostgreSQL: the key is shown
// once and only its hash is stored, lists never carry a secret, owners/admins only, the
// plan's apiKeys limit, rotation with a grace window (both listed; rotating needs no free
// slot), revocation, unknown scopes refused, and an audit entry for every change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey, parseApiKey } from "@plinth/api-keys";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { TRPCError } from "@plinth/trpc/testing";
import { addMember, callerFor, createOrganization, createUser, setPlan } from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function orgWithOwner(plan: string, tag: string) {
  const owner = await createUser(db, `owner-${tag}@keys.test`);
  const org = await createOrganization(db, owner, `Keys ${tag}`);
  if (plan !== "trial") await setPlan(db, org.id, plan);
  return { owner, org, caller: callerFor(db, owner) };
}

describe("API key management", () => {
  it("creates a key shown once, stores only its hash, lists no secret, audits", async () => {
    const { org, caller } = await orgWithOwner("pro", "a");
    const created = await caller.apiKey.create({
      organizationId: org.id,
      name: "CI",
      scopes: ["projects:read"],
      expiresInDays: 30,
    });
    expect(parseApiKey(created.key)).not.toBeNull();
    const row = await db.system.apiKey.findUniqueOrThrow({ where: { id: created.apiKey.id } });
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const list = await caller.apiKey.list({ organizationId: org.id });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: "CI",
      status: "active",
      scopes: ["projects:read"],
      display: `${created.key.slice(0, 13)}…${created.key.slice(-4)}`,
      createdBy: { email: "owner-a@keys.test" },
    });
    const listed = JSON.stringify(list);
    expect(listed).not.toContain(created.key);
    expect(listed).not.toContain(row.keyHash);

    const scopes = await caller.apiKey.scopes({ organizationId: org.id });
    expect(scopes.map((s) => s.name)).toEqual(
      expect.arrayContaining(["usage:read", "projects:read", "projects:write"]),
    );
    await expect(
      caller.apiKey.create({ organizationId: org.id, name: "x", scopes: ["nope:read"] }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    const rotated = await caller.apiKey.rotate({
      organizationId: org.id,
      apiKeyId: created.apiKey.id,
      graceHours: 2,
    });
    expect(rotated.key).not.toBe(created.key);
    const afterRotation = await caller.apiKey.list({ organizationId: org.id });
    expect(afterRotation.map((k) => k.status).sort()).toEqual(["active", "rotating"]);
    await expect(
      caller.apiKey.rotate({ organizationId: org.id, apiKeyId: created.apiKey.id, graceHours: 1 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const revoked = await caller.apiKey.revoke({
      organizationId: org.id,
      apiKeyId: rotated.apiKey.id,
    });
    expect(revoked.status).toBe("revoked");
    await expect(
      caller.apiKey.revoke({ organizationId: org.id, apiKeyId: rotated.apiKey.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    const audit = await db.system.auditLog.findMany({
      where: { organizationId: org.id, action: { startsWith: "api_key." } },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((entry) => entry.action)).toEqual([
      "api_key.created",
      "api_key.rotated",
      "api_key.revoked",
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it("holds the plan's apiKeys limit; rotation needs no free slot", async () => {
    const { org, caller } = await orgWithOwner("trial", "b");
    const first = await caller.apiKey.create({
      organizationId: org.id,
      name: "One",
      scopes: ["usage:read"],
    });
    const error = await caller.apiKey
      .create({ organizationId: org.id, name: "Two", scopes: ["usage:read"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).cause).toMatchObject({
      data: { code: "PLAN_LIMIT_REACHED", limit: "apiKeys", max: 1 },
    });
    await expect(
      caller.apiKey.rotate({ organizationId: org.id, apiKeyId: first.apiKey.id, graceHours: 0 }),
    ).resolves.toMatchObject({ apiKey: { status: "active" } });
  });

  it("is for owners and admins only", async () => {
    const { org } = await orgWithOwner("pro", "c");
    const member = await createUser(db, "member-c@keys.test");
    await addMember(db, org.id, member, "MEMBER");
    const error = await callerFor(db, member)
      .apiKey.list({ organizationId: org.id })
      .catch((e: unknown) => e);
    expect((error as TRPCError).cause).toMatchObject({ data: { code: "FORBIDDEN_ROLE" } });
  });
});
