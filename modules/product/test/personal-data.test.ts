// Personal data is a core capability every module contributes to (services/personal-data.ts):
// - every column of the schema that holds a user's id is declared by exactly one module, with
//   what erasing that user does to it — a new column nobody declared fails here;
// - deleting an account really erases: after it, no erased or cleared column still names the
//   user, in an organization the user left (demo records of every module, authored by them)
//   and one deleted with the account (every module's organization hook runs first);
// - "download my data" gathers every module's part and carries no secret.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueUserToken } from "@plinth/auth/tokens";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { UserReference } from "@plinth/platform";
import { addMember, callerFor, createOrganization, createUser, product } from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const key = (table: string, column: string) => `${table}.${column}`;
const declared = product.modules.flatMap((module) =>
  (module.gdpr.userReferences ?? []).map((reference) => ({ module: module.key, ...reference })),
);
const erasing = (reference: UserReference) =>
  reference.onUserDeleted === "erased" || reference.onUserDeleted === "cleared";

/** Columns that hold a user id: a foreign key to users, or named like one. */
async function userColumns(): Promise<string[]> {
  const rows = await db.system.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name
      FROM information_schema.columns c
      JOIN information_schema.tables t
        ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
       AND c.table_name <> 'users'
       AND (c.column_name IN ('user_id', 'actor_id') OR c.column_name LIKE '%\\_by\\_id')
    UNION
    SELECT kcu.table_name, kcu.column_name
      FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
      JOIN information_schema.constraint_column_usage ccu
        ON ccu.constraint_name = rc.unique_constraint_name
       AND ccu.constraint_schema = rc.unique_constraint_schema
     WHERE kcu.table_schema = current_schema() AND ccu.table_name = 'users'`;
  return rows.map((row) => key(row.table_name, row.column_name)).sort();
}

async function countReferences(table: string, column: string, id: string): Promise<number> {
  // Identifiers come from the schema's own catalogue (checked against it above), not input.
  const rows = await db.system.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = $1`,
    id,
  );
  return Number(rows[0]?.n ?? 0);
}

describe("user references", () => {
  it("declares every column that holds a user id exactly once, and only real ones", async () => {
    const columns = await userColumns();
    const names = declared.map((reference) => key(reference.table, reference.column));
    expect(new Set(names).size, "a column declared twice").toBe(names.length);
    expect([...names].sort()).toEqual(columns);
    for (const reference of declared) {
      if (typeof reference.onUserDeleted === "object") {
        expect(
          reference.onUserDeleted.kept.length,
          key(reference.table, reference.column),
        ).toBeGreaterThan(20);
      }
    }
  });
});

describe("account deletion erases every module's part", () => {
  it("leaves no erased or cleared column naming the user, and keeps the others' data", async () => {
    const leaver = await createUser(db, "leaver@example.com");
    const stayer = await createUser(db, "stayer@example.com");
    const shared = await createOrganization(db, leaver, "Shared Works");
    await addMember(db, shared.id, stayer, "OWNER");
    const solo = await createOrganization(db, leaver, "Solo Works");

    // Every module's demo records, authored by the leaver, in both organizations.
    const records: Record<string, string[]> = {
      projects: ["Checkout flows"],
      "api-catalog": ["geo"],
      "ai-tasks": ["Summarise a support ticket"],
      "voice-training": ["Cold call: a sceptical CFO"],
      "test-automation": ["API smoke tests"],
      hosting: ["Staging"],
    };
    for (const organization of [shared, solo]) {
      for (const module of product.modules) {
        const names = records[module.key];
        const seed = module.demo;
        if (!seed || !names) continue;
        await db.system.$transaction((tx) =>
          seed(tx, { organizationId: organization.id, ownerId: leaver.id, names }),
        );
      }
    }
    // What the demo does not author: a session, a sign-in link, a token, a consent, a data
    // export request, a key, a
    // webhook endpoint, an invitation sent and one accepted, a practice session and its minutes,
    // a test run, an AI batch and task, a workspace domain.
    await db.system.session.create({
      data: {
        sessionToken: "leaver-session",
        userId: leaver.id,
        expires: new Date(Date.now() + 86_400_000),
      },
    });
    await db.system.account.create({
      data: { userId: leaver.id, type: "oidc", provider: "oidc", providerAccountId: "leaver-sub" },
    });
    await db.system.$transaction((tx) =>
      issueUserToken(tx, { userId: leaver.id, purpose: "EMAIL_VERIFICATION", now: new Date() }),
    );
    await db.system.consentRecord.create({
      data: { userId: leaver.id, kind: "TERMS", version: "2026-01", granted: true },
    });
    await callerFor(db, leaver).account.requestDataExport();
    await db.system.apiKey.create({
      data: {
        organizationId: shared.id,
        name: "leaver's key",
        prefix: "plk_live_abcd",
        keyHash: "leaver-key-hash",
        createdById: leaver.id,
      },
    });
    await db.system.webhookEndpoint.create({
      data: {
        organizationId: shared.id,
        url: "https://hooks.example.com/in",
        createdById: leaver.id,
      },
    });
    await db.system.invitation.create({
      data: {
        organizationId: shared.id,
        email: "guest@example.com",
        role: "MEMBER",
        tokenHash: "sent-by-leaver",
        invitedById: leaver.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await db.system.invitation.create({
      data: {
        organizationId: shared.id,
        email: "leaver@example.com",
        role: "MEMBER",
        tokenHash: "accepted-by-leaver",
        invitedById: stayer.id,
        acceptedById: leaver.id,
        acceptedAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const scenario = await db.system.practiceScenario.findFirstOrThrow({
      where: { organizationId: shared.id },
    });
    const session = await db.system.practiceSession.create({
      data: { organizationId: shared.id, scenarioId: scenario.id, userId: leaver.id },
    });
    await db.system.minuteLedgerEntry.create({
      data: {
        organizationId: shared.id,
        userId: leaver.id,
        sessionId: session.id,
        kind: "USAGE",
        minutes: 3,
        createdById: leaver.id,
      },
    });

    const project = await db.system.project.findFirstOrThrow({
      where: { organizationId: shared.id },
    });
    const run = await db.system.run.create({
      data: { organizationId: shared.id, kind: "test-run", createdById: leaver.id },
    });
    await db.system.testRun.create({
      data: {
        organizationId: shared.id,
        projectId: project.id,
        runId: run.id,
        trigger: "MANUAL",
        suiteName: "API smoke tests",
        environmentName: "default",
        createdById: leaver.id,
      },
    });
    const template = await db.system.aiTaskTemplate.findFirstOrThrow({
      where: { organizationId: shared.id },
    });
    const batch = await db.system.aiTaskBatch.create({
      data: {
        organizationId: shared.id,
        templateId: template.id,
        name: "leaver's batch",
        total: 1,
        createdById: leaver.id,
      },
    });
    await db.system.aiTask.create({
      data: {
        organizationId: shared.id,
        templateId: template.id,
        batchId: batch.id,
        input: { ticket: "mine" },
        provider: "offline",
        model: "offline-demo",
        createdById: leaver.id,
      },
    });

    const workspace = await db.system.hostingWorkspace.findFirstOrThrow({
      where: { organizationId: shared.id },
    });
    await db.system.hostingDomain.create({
      data: {
        organizationId: shared.id,
        workspaceId: workspace.id,
        hostname: "app.leaver.example",
        verificationToken: "plinth-verify-leaver",
        createdById: leaver.id,
      },
    });

    const before = new Map<string, number>();
    for (const reference of declared) {
      const name = key(reference.table, reference.column);
      before.set(name, await countReferences(reference.table, reference.column, leaver.id));
    }
    // The fixture reaches every declared column the modules write today; a new one the fixture
    // does not reach shows up here, to be seeded above.
    const unreached = [...before].filter(([, n]) => n === 0).map(([name]) => name);
    expect(unreached).toEqual([]);

    // A workspace lives outside our database: while one is not destroyed, neither the solo
    // organization nor the account can go (nothing changes).
    const me = callerFor(db, leaver);
    const preview = await me.account.deletionPreview();
    expect(preview.blockers).toEqual([
      {
        id: solo.id,
        name: "Solo Works",
        reason: "has 1 hosting workspace: destroy it first",
      },
    ]);
    await expect(
      me.account.deleteAccount({ confirmEmail: "leaver@example.com" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(
      me.organization.delete({ organizationId: solo.id, confirmSlug: solo.slug }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await db.system.organization.count({ where: { id: solo.id } })).toBe(1);
    await db.system.hostingWorkspace.updateMany({
      where: { organizationId: solo.id },
      data: { state: "DESTROYED", destroyedAt: new Date() },
    });

    const plan = await me.account.deleteAccount({ confirmEmail: "leaver@example.com" });
    expect(plan.deleted.map((o) => o.id)).toEqual([solo.id]);
    expect(plan.left.map((o) => o.id)).toEqual([shared.id]);

    for (const reference of declared.filter(erasing)) {
      const name = key(reference.table, reference.column);
      expect(await countReferences(reference.table, reference.column, leaver.id), name).toBe(0);
    }
    // Kept references still point at the tombstone, which holds nothing personal.
    expect(await countReferences("audit_logs", "actor_id", leaver.id)).toBeGreaterThan(0);
    const tombstone = await db.system.user.findUniqueOrThrow({ where: { id: leaver.id } });
    expect(tombstone).toMatchObject({ status: "DELETED", name: null, passwordHash: null });
    // The organization's records stay, anonymous; the solo organization went entirely.
    expect(await db.system.project.count({ where: { organizationId: shared.id } })).toBe(1);
    expect(await db.system.practiceScenario.count({ where: { organizationId: shared.id } })).toBe(
      1,
    );
    expect(await db.system.minuteLedgerEntry.count({ where: { organizationId: shared.id } })).toBe(
      1,
    );
    expect(await db.system.invitation.count({ where: { organizationId: shared.id } })).toBe(1);
    expect(await db.system.organization.findUnique({ where: { id: solo.id } })).toBeNull();
    // Every tenant-owned table (any with organization_id) holds nothing of the solo one.
    const tenantTables = await db.system.$queryRaw<{ table_name: string }[]>`
      SELECT c.table_name
        FROM information_schema.columns c
        JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
         AND c.column_name = 'organization_id'`;
    expect(tenantTables.length).toBeGreaterThan(30);
    for (const { table_name } of tenantTables) {
      expect(await countReferences(table_name, "organization_id", solo.id), table_name).toBe(0);
    }
  });
});

describe("download my data", () => {
  it("gathers every module's part of the user, without a secret, and audits it", async () => {
    const user = await createUser(db, "exporter@example.com");
    const organization = await createOrganization(db, user, "Export Works");
    await db.system.user.update({
      where: { id: user.id },
      data: { passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash" },
    });
    await db.system.session.create({
      data: {
        sessionToken: "exporter-session-token",
        userId: user.id,
        expires: new Date(Date.now() + 86_400_000),
      },
    });
    for (const module of product.modules) {
      const seed = module.demo;
      if (!seed || module.key === "api-catalog") continue;
      await db.system.$transaction((tx) =>
        seed(tx, { organizationId: organization.id, ownerId: user.id, names: ["Mine"] }),
      );
    }

    const exported = await callerFor(db, user).account.exportData();
    expect(Object.keys(exported.modules)).toEqual(
      expect.arrayContaining([
        "core",
        "teams",
        "projects",
        "ai-tasks",
        "hosting",
        "voice-training",
      ]),
    );
    const core = exported.modules.core as {
      profile: { email: string; hasPassword: boolean };
      memberships: unknown;
    };
    expect(core.profile).toMatchObject({ email: "exporter@example.com", hasPassword: true });
    expect(exported.modules.projects).toMatchObject({
      projectsCreated: [{ name: "Mine", organizationId: organization.id }],
    });
    const text = JSON.stringify(exported);
    expect(text).not.toContain("exporter-session-token");
    expect(text).not.toMatch(/\$argon2id\$/);
    expect(text).not.toMatch(/passwordHash|sessionToken|tokenHash|keyHash/);

    const audit = await db.system.auditLog.findMany({
      where: { action: "user.data_exported", targetId: user.id },
    });
    expect(audit).toHaveLength(1);
  });

  it("exports an organization for its admins only", async () => {
    const owner = await createUser(db, "org-export-owner@example.com");
    const member = await createUser(db, "org-export-member@example.com");
    const organization = await createOrganization(db, owner, "Org Export");
    await addMember(db, organization.id, member, "MEMBER");
    await db.system.apiKey.create({
      data: {
        organizationId: organization.id,
        name: "ci",
        prefix: "plk_live_wxyz",
        keyHash: "org-export-key-hash",
      },
    });

    const exported = await callerFor(db, owner).organization.exportData({
      organizationId: organization.id,
    });
    expect(exported.modules.core).toMatchObject({
      organization: { id: organization.id, name: "Org Export" },
      apiKeys: [{ name: "ci" }],
    });
    const keyHashes = (await db.system.apiKey.findMany({ select: { keyHash: true } })).map(
      (row) => row.keyHash,
    );
    for (const hash of keyHashes) expect(JSON.stringify(exported)).not.toContain(hash);
    await expect(
      callerFor(db, member).organization.exportData({ organizationId: organization.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
