// Member management on real PostgreSQL: role rules, the last-owner invariant (also under
// concurrency), leave, ownership transfer, and the audit entries of each.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { SessionUser } from "@plinth/core/scope";
import { addMember, callerFor, createOrganization, createUser, setPlan } from "./kit.ts";
import { auditActions, refusal, teamState } from "./teams-helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

let counter = 0;
type RoleName = "OWNER" | "ADMIN" | "MEMBER";

/** An organization with one user per given role (the first is its creator, an OWNER). */
async function team(roles: RoleName[]) {
  const n = ++counter;
  const users: SessionUser[] = [];
  const creator = await createUser(db, `u${n}-0@team.test`);
  const org = await createOrganization(db, creator, `Team ${n}`);
  await setPlan(db, org.id, "enterprise");
  users.push(creator);
  for (let i = 1; i < roles.length; i++) {
    const user = await createUser(db, `u${n}-${i}@team.test`);
    await addMember(db, org.id, user, roles[i] ?? "MEMBER");
    users.push(user);
  }
  const memberships = await db.system.membership.findMany({ where: { organizationId: org.id } });
  const membershipOf = (user: SessionUser) =>
    memberships.find((m) => m.userId === user.id)?.id ?? "";
  const roleOf = async (user: SessionUser) =>
    (
      await db.system.membership.findUnique({
        where: { organizationId_userId: { organizationId: org.id, userId: user.id } },
      })
    )?.role ?? null;
  const owners = () =>
    db.system.membership.count({ where: { organizationId: org.id, role: "OWNER" } });
  return {
    org,
    users,
    membershipOf,
    roleOf,
    owners,
    as: (user: SessionUser) => callerFor(db, user),
  };
}

/** Asserts the refusal and that the organization's team state (incl. audit) did not change. */
async function expectRefused(orgId: string, attempt: () => Promise<unknown>, appError: unknown) {
  const before = await teamState(db, orgId);
  expect((await refusal(attempt())).appError).toEqual(appError);
  expect(await teamState(db, orgId)).toEqual(before);
}

const FORBIDDEN_OWNER = { code: "FORBIDDEN_ROLE", requiredRole: "OWNER" };
const FORBIDDEN_ADMIN = { code: "FORBIDDEN_ROLE", requiredRole: "ADMIN" };

describe("role rules", () => {
  it("a MEMBER manages nobody", async () => {
    const { org, users, membershipOf, as } = await team(["OWNER", "MEMBER", "MEMBER"]);
    const [, member, other] = users as [SessionUser, SessionUser, SessionUser];
    const organizationId = org.id;
    await expectRefused(
      organizationId,
      () =>
        as(member).member.updateRole({
          organizationId,
          membershipId: membershipOf(other),
          role: "ADMIN",
        }),
      FORBIDDEN_ADMIN,
    );
    await expectRefused(
      organizationId,
      () =>
        as(member).member.updateRole({
          organizationId,
          membershipId: membershipOf(member),
          role: "ADMIN",
        }),
      FORBIDDEN_ADMIN,
    );
    await expectRefused(
      organizationId,
      () => as(member).member.remove({ organizationId, membershipId: membershipOf(other) }),
      FORBIDDEN_ADMIN,
    );
    await expectRefused(
      organizationId,
      () =>
        as(member).member.transferOwnership({ organizationId, membershipId: membershipOf(member) }),
      FORBIDDEN_OWNER,
    );
    await expectRefused(
      organizationId,
      () => as(member).invitation.list({ organizationId }),
      FORBIDDEN_ADMIN,
    );
  });

  it("an ADMIN cannot promote to, demote or remove an OWNER, nor transfer ownership", async () => {
    const { org, users, membershipOf, as } = await team(["OWNER", "ADMIN", "MEMBER"]);
    const [owner, admin, member] = users as [SessionUser, SessionUser, SessionUser];
    const organizationId = org.id;
    await expectRefused(
      organizationId,
      () =>
        as(admin).member.updateRole({
          organizationId,
          membershipId: membershipOf(member),
          role: "OWNER",
        }),
      FORBIDDEN_OWNER,
    );
    await expectRefused(
      organizationId,
      () =>
        as(admin).member.updateRole({
          organizationId,
          membershipId: membershipOf(admin),
          role: "OWNER",
        }),
      FORBIDDEN_OWNER,
    );
    await expectRefused(
      organizationId,
      () =>
        as(admin).member.updateRole({
          organizationId,
          membershipId: membershipOf(owner),
          role: "MEMBER",
        }),
      FORBIDDEN_OWNER,
    );
    await expectRefused(
      organizationId,
      () => as(admin).member.remove({ organizationId, membershipId: membershipOf(owner) }),
      FORBIDDEN_OWNER,
    );
    await expectRefused(
      organizationId,
      () =>
        as(admin).member.transferOwnership({ organizationId, membershipId: membershipOf(admin) }),
      FORBIDDEN_OWNER,
    );
  });

  it("an ADMIN manages MEMBERs and ADMINs; changes are audited with the changed fields", async () => {
    const { org, users, membershipOf, roleOf, as } = await team([
      "OWNER",
      "ADMIN",
      "MEMBER",
      "MEMBER",
    ]);
    const [, admin, member, leaver] = users as [SessionUser, SessionUser, SessionUser, SessionUser];
    const organizationId = org.id;
    expect(
      await as(admin).member.updateRole({
        organizationId,
        membershipId: membershipOf(member),
        role: "ADMIN",
      }),
    ).toMatchObject({ role: "ADMIN", changed: true });
    expect(await roleOf(member)).toBe("ADMIN");
    // Setting the same role again changes (and audits) nothing.
    expect(
      await as(admin).member.updateRole({
        organizationId,
        membershipId: membershipOf(member),
        role: "ADMIN",
      }),
    ).toMatchObject({ changed: false });
    await as(admin).member.remove({ organizationId, membershipId: membershipOf(leaver) });
    expect(await roleOf(leaver)).toBeNull();
    expect(await auditActions(db, organizationId)).toEqual([
      "organization.created",
      "member.role_changed",
      "member.removed",
    ]);
    const changed = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "member.role_changed" },
    });
    expect(changed).toMatchObject({
      actorId: admin.id,
      targetType: "membership",
      targetId: membershipOf(member),
    });
    expect(changed.changes).toEqual({ role: { from: "MEMBER", to: "ADMIN" } });
    const removed = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "member.removed" },
    });
    expect(removed.changes).toEqual({
      userId: { from: leaver.id },
      email: { from: leaver.email },
      role: { from: "MEMBER" },
    });
    // The removed user no longer reaches the organization.
    expect((await refusal(as(leaver).organization.get({ organizationId }))).appError).toEqual({
      code: "NOT_FOUND",
      resource: "Organization",
    });
  });

  it("an OWNER promotes to OWNER and demotes or removes another OWNER", async () => {
    const { org, users, membershipOf, roleOf, as } = await team(["OWNER", "MEMBER", "OWNER"]);
    const [owner, member, coOwner] = users as [SessionUser, SessionUser, SessionUser];
    const organizationId = org.id;
    await as(owner).member.updateRole({
      organizationId,
      membershipId: membershipOf(member),
      role: "OWNER",
    });
    await as(owner).member.updateRole({
      organizationId,
      membershipId: membershipOf(coOwner),
      role: "MEMBER",
    });
    await as(owner).member.remove({ organizationId, membershipId: membershipOf(member) });
    expect([await roleOf(owner), await roleOf(member), await roleOf(coOwner)]).toEqual([
      "OWNER",
      null,
      "MEMBER",
    ]);
  });

  it("unknown membership ids are NOT_FOUND", async () => {
    const { org, as, users } = await team(["OWNER"]);
    const [owner] = users as [SessionUser];
    await expectRefused(
      org.id,
      () => as(owner).member.remove({ organizationId: org.id, membershipId: "c".padEnd(25, "0") }),
      { code: "NOT_FOUND", resource: "Member" },
    );
  });
});

describe("the last owner", () => {
  it("cannot demote, remove themselves or leave; a second owner makes it possible", async () => {
    const { org, users, membershipOf, roleOf, as } = await team(["OWNER", "ADMIN"]);
    const [owner, admin] = users as [SessionUser, SessionUser];
    const organizationId = org.id;
    const lastOwner = { code: "LAST_OWNER" };
    await expectRefused(
      organizationId,
      () =>
        as(owner).member.updateRole({
          organizationId,
          membershipId: membershipOf(owner),
          role: "ADMIN",
        }),
      lastOwner,
    );
    await expectRefused(
      organizationId,
      () => as(owner).member.remove({ organizationId, membershipId: membershipOf(owner) }),
      lastOwner,
    );
    await expectRefused(
      organizationId,
      () => as(owner).member.leave({ organizationId }),
      lastOwner,
    );
    const refused = await refusal(as(owner).member.leave({ organizationId }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toContain("at least one owner");

    await as(owner).member.updateRole({
      organizationId,
      membershipId: membershipOf(admin),
      role: "OWNER",
    });
    await as(owner).member.leave({ organizationId });
    expect(await roleOf(owner)).toBeNull();
    expect(await roleOf(admin)).toBe("OWNER");
    expect(await auditActions(db, organizationId)).toEqual([
      "organization.created",
      "member.role_changed",
      "member.left",
    ]);
  });

  it("anyone else can leave", async () => {
    const { org, users, roleOf, as } = await team(["OWNER", "ADMIN", "MEMBER"]);
    const [, admin, member] = users as [SessionUser, SessionUser, SessionUser];
    await as(member).member.leave({ organizationId: org.id });
    await as(admin).member.leave({ organizationId: org.id });
    expect([await roleOf(admin), await roleOf(member)]).toEqual([null, null]);
    const left = await db.system.auditLog.findMany({
      where: { organizationId: org.id, action: "member.left" },
    });
    expect(left.map((row) => row.actorId).sort()).toEqual([admin.id, member.id].sort());
  });

  it("leaving works while the organization is read-only (trial expired)", async () => {
    const { org, users, roleOf, as } = await team(["OWNER", "MEMBER"]);
    const [owner, member] = users as [SessionUser, SessionUser];
    const past = new Date(Date.now() - 86_400_000);
    await db.system.subscription.update({
      where: { organizationId: org.id },
      data: { planKey: "trial", status: "TRIALING", trialEndsAt: past },
    });
    await db.system.organization.update({ where: { id: org.id }, data: { trialEndsAt: past } });
    expect(
      (
        await refusal(
          as(owner).member.updateRole({ organizationId: org.id, membershipId: "x", role: "ADMIN" }),
        )
      ).appError?.code,
    ).toBe("READ_ONLY");
    await as(member).member.leave({ organizationId: org.id });
    expect(await roleOf(member)).toBeNull();
  });

  // Without the organization's members lock these races end with zero owners (each
  // transaction sees two owners before either commits).
  it("concurrent self-demotions of the two owners leave exactly one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const { org, users, membershipOf, owners, as } = await team(["OWNER", "OWNER"]);
      const organizationId = org.id;
      const results = await Promise.allSettled(
        users.map((user) =>
          as(user).member.updateRole({
            organizationId,
            membershipId: membershipOf(user),
            role: "MEMBER",
          }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await owners()).toBe(1);
    }
  });

  it("concurrent leaves, removals and cross-demotions of two owners leave exactly one owner", async () => {
    for (let round = 0; round < 3; round++) {
      const leave = await team(["OWNER", "OWNER"]);
      await Promise.allSettled(
        leave.users.map((user) => leave.as(user).member.leave({ organizationId: leave.org.id })),
      );
      expect(await leave.owners()).toBe(1);

      const cross = await team(["OWNER", "OWNER"]);
      const [a, b] = cross.users as [SessionUser, SessionUser];
      await Promise.allSettled([
        cross.as(a).member.updateRole({
          organizationId: cross.org.id,
          membershipId: cross.membershipOf(b),
          role: "ADMIN",
        }),
        cross.as(b).member.updateRole({
          organizationId: cross.org.id,
          membershipId: cross.membershipOf(a),
          role: "ADMIN",
        }),
      ]);
      expect(await cross.owners()).toBe(1);

      const removal = await team(["OWNER", "OWNER"]);
      const [c, d] = removal.users as [SessionUser, SessionUser];
      await Promise.allSettled([
        removal
          .as(c)
          .member.remove({ organizationId: removal.org.id, membershipId: removal.membershipOf(d) }),
        removal
          .as(d)
          .member.remove({ organizationId: removal.org.id, membershipId: removal.membershipOf(c) }),
      ]);
      expect(await removal.owners()).toBe(1);
    }
  });
});

describe("transfer ownership", () => {
  it("the target becomes OWNER, the previous owner ADMIN, in one audited change", async () => {
    const { org, users, membershipOf, roleOf, as } = await team(["OWNER", "MEMBER"]);
    const [owner, member] = users as [SessionUser, SessionUser];
    const organizationId = org.id;
    await as(owner).member.transferOwnership({
      organizationId,
      membershipId: membershipOf(member),
    });
    expect([await roleOf(owner), await roleOf(member)]).toEqual(["ADMIN", "OWNER"]);
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "organization.ownership_transferred" },
    });
    expect(audit).toMatchObject({ actorId: owner.id, targetId: membershipOf(member) });
    expect(audit.changes).toEqual({
      newOwnerRole: { from: "MEMBER", to: "OWNER" },
      newOwnerUserId: { to: member.id },
      previousOwnerRole: { from: "OWNER", to: "ADMIN" },
      previousOwnerUserId: { to: owner.id },
    });
    // The former owner is an admin now: no longer allowed to transfer.
    await expectRefused(
      organizationId,
      () =>
        as(owner).member.transferOwnership({ organizationId, membershipId: membershipOf(owner) }),
      FORBIDDEN_OWNER,
    );
  });

  it("not to yourself, not to an existing owner", async () => {
    const { org, users, membershipOf, as } = await team(["OWNER", "OWNER"]);
    const [owner, coOwner] = users as [SessionUser, SessionUser];
    const organizationId = org.id;
    await expectRefused(
      organizationId,
      () =>
        as(owner).member.transferOwnership({ organizationId, membershipId: membershipOf(owner) }),
      {
        code: "INVALID_STATE",
        detail: "Choose another member to transfer ownership to",
      },
    );
    await expectRefused(
      organizationId,
      () =>
        as(owner).member.transferOwnership({ organizationId, membershipId: membershipOf(coOwner) }),
      {
        code: "INVALID_STATE",
        detail: "That member is already an owner",
      },
    );
  });
});
