import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TENANT_MODELS, scopedClient, tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { tenantBeginStats, withTenantBegin } from "@plinth/db/tenant-begin";

let db: TestDatabase;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // The system client (table owner) bypasses RLS: it is how seeds and the worker write.
  const [a, b] = await Promise.all([
    db.system.organization.create({ data: { name: "A", slug: "org-a" } }),
    db.system.organization.create({ data: { name: "B", slug: "org-b" } }),
  ]);
  orgA = a.id;
  orgB = b.id;
  await db.system.project.createMany({
    data: [
      { organizationId: orgA, name: "A1" },
      { organizationId: orgB, name: "B1" },
    ],
  });
});
afterAll(() => db.drop());

describe("row-level security", () => {
  it("returns no tenant rows when no tenant is set", async () => {
    expect(await db.app.project.findMany()).toEqual([]);
    expect(await db.app.organization.findMany()).toEqual([]);
    expect(await db.app.$queryRaw`SELECT * FROM projects`).toEqual([]);
  });

  it("with tenant A set, reads only A even without a filter", async () => {
    const rows = await tenantTransaction(
      db.app,
      { organizationId: orgA },
      (tx) => tx.$queryRaw<{ name: string }[]>`SELECT name FROM projects`,
    );
    expect(rows.map((row) => row.name)).toEqual(["A1"]);
  });

  it("with tenant A set, cannot write B's rows", async () => {
    await expect(
      tenantTransaction(
        db.app,
        { organizationId: orgA },
        (tx) =>
          tx.$executeRaw`INSERT INTO projects (id, organization_id, name, updated_at) VALUES ('x', ${orgB}, 'evil', now())`,
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await tenantTransaction(
      db.app,
      { organizationId: orgA },
      (tx) => tx.$executeRaw`UPDATE projects SET name = 'pwned' WHERE organization_id = ${orgB}`,
    );
    expect(updated).toBe(0);
    const deleted = await tenantTransaction(
      db.app,
      { organizationId: orgA },
      (tx) => tx.$executeRaw`DELETE FROM projects WHERE organization_id = ${orgB}`,
    );
    expect(deleted).toBe(0);
    expect(
      (await db.system.project.findFirstOrThrow({ where: { organizationId: orgB } })).name,
    ).toBe("B1");
  });

  it("the scoped client adds the tenant filter and the RLS setting", async () => {
    const scoped = scopedClient(db.app, { organizationId: orgA });
    expect((await scoped.project.findMany()).map((p) => p.name)).toEqual(["A1"]);
    const foreign = await db.system.project.findFirstOrThrow({ where: { organizationId: orgB } });
    expect(await scoped.project.findUnique({ where: { id: foreign.id } })).toBeNull();
    const created = await scoped.project.create({ data: { name: "A2" } as never });
    expect(created.organizationId).toBe(orgA);
  });

  it("the round-trip cuts apply, and each keeps the settings to its own transaction", async () => {
    const scoped = scopedClient(db.app, { organizationId: orgA, userId: "user-a" });
    const before = tenantBeginStats();
    // A read: a tenant transaction opened by the pool (BEGIN + settings, statement, COMMIT).
    expect(
      (await scoped.project.findMany({ select: { name: true } })).map((p) => p.name),
    ).toContain("A1");
    expect(await scoped.project.count()).toBeGreaterThan(0);
    // A write and an interactive transaction: the settings go with Prisma's BEGIN.
    await scoped.project.updateMany({ where: { name: "A1" }, data: { name: "A1" } });
    const seen = await tenantTransaction(db.app, { organizationId: orgB }, async (tx) => {
      const [row] = await tx.$queryRaw<{ org: string; user: string }[]>`
        SELECT current_setting('app.organization_id') AS org, current_setting('app.user_id') AS user`;
      return { row, names: await tx.project.findMany({ select: { name: true } }) };
    });
    expect(seen.row).toEqual({ org: orgB, user: "" });
    expect(seen.names.map((p) => p.name)).toEqual(["B1"]);
    const after = tenantBeginStats();
    expect(after.statements - before.statements).toBe(2);
    expect(after.begins - before.begins).toBe(2);
    expect(after.settingsSkipped - before.settingsSkipped).toBe(2);
    // Single use: a second transaction in the same async context starts with no tenant.
    const second = await withTenantBegin({ organizationId: orgA }, async () => {
      await db.app.$transaction([db.app.project.count(), db.app.project.count()]);
      return db.app.$transaction([db.app.project.count(), db.app.project.count()]);
    });
    expect(second).toEqual([0, 0]);
    // The settings ended with their transactions: the pooled connections are clean.
    const leftovers = await Promise.all(
      Array.from(
        { length: 5 },
        () => db.app.$queryRaw<{ org: string | null }[]>`
        SELECT current_setting('app.organization_id', true) AS org`,
      ),
    );
    for (const [row] of leftovers) expect(row?.org ?? "").toBe("");
  });

  it("every table with organization_id has RLS and a tenant policy, and is listed as tenant-owned", async () => {
    // Plain and partitioned tables; a partition is checked with its parent (below).
    const tables = await db.system.$queryRaw<
      { table_name: string; rls: boolean; policies: bigint }[]
    >`
      SELECT c.relname AS table_name, c.relrowsecurity AS rls,
             (SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname) AS policies
      FROM information_schema.columns col
      JOIN pg_class c ON c.relname = col.table_name AND c.relkind IN ('r', 'p')
      WHERE col.table_schema = 'public' AND col.column_name = 'organization_id'
        AND NOT c.relispartition
      ORDER BY 1`;
    expect(tables.length).toBeGreaterThan(5);
    for (const table of tables) {
      expect({ table: table.table_name, rls: table.rls }).toEqual({
        table: table.table_name,
        rls: true,
      });
      // The webhook inbox is system-only: RLS without any policy.
      if (table.table_name !== "stripe_events") expect(Number(table.policies)).toBeGreaterThan(0);
    }
    const snake = (name: string) =>
      name.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());
    const plural = (name: string) => (name.endsWith("s") ? name : `${name}s`);
    // Table names that do not follow the model name (@@map).
    const irregular: Record<string, string> = {
      UsageRollupHourly: "usage_rollups_hourly",
      UsageRollupDaily: "usage_rollups_daily",
      WebhookDelivery: "webhook_deliveries",
      AiTaskBatch: "ai_task_batches",
      TranscriptSegment: "practice_transcript_segments",
      SessionFeedback: "practice_feedback",
      MinuteLedgerEntry: "practice_minute_ledger",
    };
    const expected = tables
      .map((t) => t.table_name)
      .filter((t) => t !== "stripe_events")
      .sort();
    expect([...TENANT_MODELS].map((m) => irregular[m] ?? plural(snake(m))).sort()).toEqual(
      expected,
    );
  });

  it("every partition of a tenant table has RLS on (no policy: plinth_app reads the parent)", async () => {
    const partitions = await db.system.$queryRaw<{ name: string; parent: string; rls: boolean }[]>`
      SELECT c.relname AS name, p.relname AS parent, c.relrowsecurity AS rls
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'usage_events'
      ORDER BY 1`;
    expect(partitions.length).toBeGreaterThanOrEqual(3);
    for (const partition of partitions) expect(partition).toMatchObject({ rls: true });
    const created = await db.system.$queryRaw<{ name: string }[]>`
      SELECT usage_events_create_partitions('2031-01-15', '2031-02-01') AS name`;
    expect(created.map((row) => row.name)).toEqual([
      "usage_events_2031_01",
      "usage_events_2031_02",
    ]);
    const [made] = await db.system.$queryRaw<{ rls: boolean }[]>`
      SELECT relrowsecurity AS rls FROM pg_class WHERE relname = 'usage_events_2031_01'`;
    expect(made?.rls).toBe(true);
  });

  it("plinth_app reads usage rows of its tenant through the parent, and no partition directly", async () => {
    const now = new Date();
    await db.system.usageEvent.createMany({
      data: [
        { organizationId: orgA, meter: "api.requests", quantity: 1, occurredAt: now },
        { organizationId: orgB, meter: "api.requests", quantity: 1, occurredAt: now },
      ],
    });
    const partition = `usage_events_${now.toISOString().slice(0, 7).replace("-", "_")}`;
    const [throughParent, direct] = await tenantTransaction(
      db.app,
      { organizationId: orgA },
      async (tx) => [
        await tx.$queryRaw<{ organization_id: string }[]>`SELECT organization_id FROM usage_events`,
        await tx.$queryRawUnsafe<{ organization_id: string }[]>(
          `SELECT organization_id FROM "${partition}"`,
        ),
      ],
    );
    expect(throughParent.map((row) => row.organization_id)).toEqual([orgA]);
    expect(direct).toEqual([]);
  });
});
