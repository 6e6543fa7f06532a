// The tenant's Retry of a failed workspace (workspace.retry): admins and owners only, the same
// one-run lock as every change (two retries at once: one run), audited on the organization's
// trail, the failed operation run again towards the same target — and only a failed one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { HostingProvider } from "../src/providers/types.ts";
import {
  addMember,
  callerFor,
  createOrganization,
  createUser,
  localProvider,
  runHosting,
  setPlan,
} from "./kit.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const REQUEST = {
  name: "emr",
  app: "bahmni",
  version: "1.0.0",
  size: "small",
  region: "eu-central",
};

describe("workspace.retry", () => {
  it("admins retry a failed provision once; members may not; a ready one cannot be retried", async () => {
    const owner = await createUser(db, "owner-retry@hosting.test");
    const org = await createOrganization(db, owner, "Retry Co");
    await setPlan(db, org.id, "enterprise");
    const organizationId = org.id;
    const admin = await createUser(db, "admin-retry@hosting.test");
    await addMember(db, organizationId, admin, "ADMIN");
    const member = await createUser(db, "member-retry@hosting.test");
    await addMember(db, organizationId, member, "MEMBER");
    const asOwner = callerFor(db, owner);
    const asAdmin = callerFor(db, admin);

    const requested = await asOwner.workspace.request({ organizationId, ...REQUEST });
    const workspaceId = requested.workspace.id;
    const local = localProvider(db);
    const failing: HostingProvider = {
      ...local,
      apply: () => Promise.reject(new Error("disk full (simulated)")),
    };
    await runHosting(db, { runId: requested.runId, organizationId }, failing);
    expect(await asOwner.workspace.get({ organizationId, workspaceId })).toMatchObject({
      state: "FAILED",
      failedStep: "apply",
    });

    await expect(
      callerFor(db, member).workspace.retry({ organizationId, workspaceId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Two retries at once: one run starts, the other is refused by the lock.
    const attempts = await Promise.allSettled([
      asAdmin.workspace.retry({ organizationId, workspaceId }),
      asAdmin.workspace.retry({ organizationId, workspaceId }),
    ]);
    const won = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
    expect(won).toHaveLength(1);
    const refused = attempts.find((a) => a.status === "rejected");
    expect(refused?.status === "rejected" ? refused.reason : null).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    const retried = won[0]!;
    expect(retried.workspace).toMatchObject({ id: workspaceId, state: "REQUESTED", busy: true });
    expect(retried.runId).not.toBe(requested.runId);
    const runs = await db.system.hostingRun.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      select: { runId: true, action: true, target: true },
    });
    expect(runs.map((run) => [run.runId, run.action])).toEqual([
      [requested.runId, "PROVISION"],
      [retried.runId, "PROVISION"],
    ]);
    expect(runs[1]!.target).toEqual(runs[0]!.target);
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "workspace.retry_requested", targetId: workspaceId },
    });
    expect(audit).toMatchObject({ actorType: "USER", actorId: admin.id });
    expect(audit.changes).toMatchObject({
      state: { from: "FAILED", to: "REQUESTED" },
      failedStep: { from: "apply" },
      retriedRunId: { from: requested.runId },
      runId: { to: retried.runId },
    });

    // The retry's run provisions it for real; a ready workspace has nothing to retry.
    await runHosting(db, { runId: retried.runId, organizationId });
    expect(await asOwner.workspace.get({ organizationId, workspaceId })).toMatchObject({
      state: "READY",
      failedStep: null,
    });
    await expect(asOwner.workspace.retry({ organizationId, workspaceId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });

    // Another organization's admin: not found.
    const stranger = await createUser(db, "owner-other@hosting.test");
    const other = await createOrganization(db, stranger, "Other Co");
    await expect(
      callerFor(db, stranger).workspace.retry({ organizationId: other.id, workspaceId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
