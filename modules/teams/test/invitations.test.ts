// Invitations on real PostgreSQL: plan gating, seats, every token rule (each refusal is typed
// and changes nothing), audit entries, and that no token or hash ever leaves the email.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { addMember, callerFor, createOrganization, createUser, setPlan } from "./kit.ts";
import { auditActions, refusal, teamState, tokenFromEmail } from "./teams-helpers.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

let counter = 0;
/** An Enterprise organization with its owner (and a caller for the owner). */
async function enterprise(plan = "enterprise") {
  const n = ++counter;
  const owner = await createUser(db, `owner${n}@corp.test`);
  const org = await createOrganization(db, owner, `Corp ${n}`);
  await setPlan(db, org.id, plan);
  return { owner, org, api: callerFor(db, owner), n };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const DAY = 86_400_000;
const ENTERPRISE_SEATS = 50;

let fills = 0;
/**
 * Takes seats without going through the API (an import, or a state from before a plan change):
 * members and invitation rows written with the system client. Invitation rows get the hash of
 * a random token nobody knows. Revoked and expired rows are written too, to show they hold no
 * seat. Returns the ids of what it wrote.
 */
async function fillSeats(
  organizationId: string,
  counts: { members?: number; pending?: number; revoked?: number; expired?: number },
) {
  const tag = `f${++fills}`;
  const users = await db.system.user.createManyAndReturn({
    data: Array.from({ length: counts.members ?? 0 }, (_, i) => ({
      email: `${tag}-m${i}@fill.test`,
      name: `${tag}-m${i}`,
    })),
    select: { id: true },
  });
  const memberships = await db.system.membership.createManyAndReturn({
    data: users.map((user) => ({ organizationId, userId: user.id, role: "MEMBER" as const })),
    select: { id: true },
  });
  const now = Date.now();
  const rows = (kind: string, n: number, over: { expiresAt?: Date; revokedAt?: Date } = {}) =>
    Array.from({ length: n }, (_, i) => ({
      organizationId,
      email: `${tag}-${kind}${i}@fill.test`,
      role: "MEMBER" as const,
      tokenHash: sha256(randomBytes(32).toString("base64url")),
      expiresAt: new Date(now + 7 * DAY),
      ...over,
    }));
  const pending = await db.system.invitation.createManyAndReturn({
    data: rows("p", counts.pending ?? 0),
    select: { id: true },
  });
  await db.system.invitation.createMany({
    data: [
      ...rows("r", counts.revoked ?? 0, { revokedAt: new Date(now - DAY) }),
      ...rows("e", counts.expired ?? 0, { expiresAt: new Date(now - 1000) }),
    ],
  });
  return { membershipIds: memberships.map((m) => m.id), pendingIds: pending.map((i) => i.id) };
}

/** Seats in use, counted here independently of the code under test: members + pending invitations. */
async function seatsUsed(organizationId: string): Promise<number> {
  const [members, pending] = await Promise.all([
    db.system.membership.count({ where: { organizationId } }),
    db.system.invitation.count({
      where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    }),
  ]);
  return members + pending;
}

const seatsFull = (current: number) => ({
  code: "PLAN_LIMIT_REACHED",
  limit: "seats",
  current,
  max: ENTERPRISE_SEATS,
  currentPlan: "enterprise",
  // No plan has more seats than Enterprise.
  upgrade: null,
});

describe("plan gating", () => {
  it.each([
    ["trial", "TRIALING"],
    ["pro", "ACTIVE"],
    ["payg", "ACTIVE"],
    ["hybrid", "ACTIVE"],
  ] as const)(
    "%s: inviting is refused with the plan refusal and upgrade data, nothing stored",
    async (plan, status) => {
      const { owner, org, api } = await enterprise(plan);
      await setPlan(db, org.id, plan, status);
      const before = await teamState(db, org.id);
      const refused = await refusal(
        api.invitation.create({ organizationId: org.id, email: "friend@x.test", role: "MEMBER" }),
      );
      expect(refused.code).toBe("FORBIDDEN");
      // Invitations are Enterprise only (docs/teams.md): the upgrade offer names it.
      expect(refused.appError).toEqual({
        code: "FEATURE_NOT_IN_PLAN",
        feature: "team.invite",
        currentPlan: plan,
        upgrade: { planKey: "enterprise", planName: "Enterprise" },
      });
      expect(await teamState(db, org.id)).toEqual(before);
      expect(await db.system.email.count({ where: { to: "friend@x.test" } })).toBe(0);
      expect(owner).toBeDefined();
    },
  );

  it("a MEMBER cannot invite; an ADMIN cannot invite an OWNER; an OWNER can", async () => {
    const { org, api } = await enterprise();
    const member = await createUser(db, "plain-member@corp.test");
    const admin = await createUser(db, "plain-admin@corp.test");
    await addMember(db, org.id, member, "MEMBER");
    await addMember(db, org.id, admin, "ADMIN");
    const byMember = await refusal(
      callerFor(db, member).invitation.create({
        organizationId: org.id,
        email: "a@x.test",
        role: "MEMBER",
      }),
    );
    expect(byMember.appError).toEqual({ code: "FORBIDDEN_ROLE", requiredRole: "ADMIN" });
    const ownerByAdmin = await refusal(
      callerFor(db, admin).invitation.create({
        organizationId: org.id,
        email: "a@x.test",
        role: "OWNER",
      }),
    );
    expect(ownerByAdmin.appError).toEqual({ code: "FORBIDDEN_ROLE", requiredRole: "OWNER" });
    expect(await db.system.invitation.count({ where: { organizationId: org.id } })).toBe(0);
    const adminInvite = await callerFor(db, admin).invitation.create({
      organizationId: org.id,
      email: "b@x.test",
      role: "ADMIN",
    });
    expect(adminInvite.role).toBe("ADMIN");
    const ownerInvite = await api.invitation.create({
      organizationId: org.id,
      email: "c@x.test",
      role: "OWNER",
    });
    expect(ownerInvite.role).toBe("OWNER");
    // An admin can neither resend an owner invitation nor turn a pending one into OWNER.
    expect(
      (
        await refusal(
          callerFor(db, admin).invitation.resend({
            organizationId: org.id,
            invitationId: ownerInvite.id,
          }),
        )
      ).appError,
    ).toEqual({
      code: "FORBIDDEN_ROLE",
      requiredRole: "OWNER",
    });
    expect(
      (
        await refusal(
          callerFor(db, admin).invitation.create({
            organizationId: org.id,
            email: "c@x.test",
            role: "MEMBER",
          }),
        )
      ).appError,
    ).toEqual({
      code: "FORBIDDEN_ROLE",
      requiredRole: "OWNER",
    });
  });
});

describe("creating, refreshing, resending, revoking", () => {
  it("stores only the SHA-256 of the token, emails the link, audits, and returns neither", async () => {
    const { owner, org, api } = await enterprise();
    const created = await api.invitation.create({
      organizationId: org.id,
      email: "  New.Person@X.test ",
      role: "ADMIN",
    });
    expect(created).toMatchObject({
      email: "new.person@x.test",
      role: "ADMIN",
      status: "pending",
      refreshed: false,
    });
    expect(Object.keys(created).sort()).toEqual([
      "createdAt",
      "email",
      "expiresAt",
      "id",
      "invitedById",
      "refreshed",
      "role",
      "status",
    ]);
    const expiresIn = created.expiresAt.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86_400_000);

    const token = await tokenFromEmail(db, "new.person@x.test");
    const row = await db.system.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(row.invitedById).toBe(owner.id);
    const email = await db.system.email.findFirstOrThrow({ where: { to: "new.person@x.test" } });
    expect(email).toMatchObject({ status: "QUEUED", template: "invitation" });
    expect(email.subject).toContain(org.name);
    expect(email.html).toContain(`/invite/${token}`);
    // The email's delivery job was enqueued in the same transaction.
    const jobs = await db.system.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM graphile_worker._private_jobs WHERE payload->>'emailId' = ${email.id}`;
    expect(Number(jobs[0]?.n)).toBe(1);

    const list = await api.invitation.list({ organizationId: org.id });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: created.id, invitedBy: owner.name, status: "pending" });
    const everything = JSON.stringify([
      created,
      list,
      await db.system.auditLog.findMany({ where: { organizationId: org.id } }),
    ]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(row.tokenHash);
    expect(await auditActions(db, org.id)).toEqual(["organization.created", "invitation.created"]);
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: org.id, action: "invitation.created" },
    });
    expect(audit).toMatchObject({
      actorId: owner.id,
      targetType: "invitation",
      targetId: created.id,
      ipAddress: "203.0.113.7",
    });
    expect(audit.changes).toMatchObject({
      email: { to: "new.person@x.test" },
      role: { to: "ADMIN" },
    });
  });

  it("inviting an address with an open invitation refreshes it: one row, new token and role, old link dead", async () => {
    const { org, api } = await enterprise();
    const first = await api.invitation.create({
      organizationId: org.id,
      email: "twice@x.test",
      role: "MEMBER",
    });
    const oldToken = await tokenFromEmail(db, "twice@x.test");
    const second = await api.invitation.create({
      organizationId: org.id,
      email: "TWICE@x.test",
      role: "ADMIN",
    });
    expect(second).toMatchObject({ id: first.id, role: "ADMIN", refreshed: true });
    expect(await db.system.invitation.count({ where: { organizationId: org.id } })).toBe(1);
    const newToken = await tokenFromEmail(db, "twice@x.test");
    expect(newToken).not.toBe(oldToken);
    const anon = callerFor(db, null);
    expect((await refusal(anon.invitation.preview({ token: oldToken }))).appError).toEqual({
      code: "INVITATION_INVALID",
      reason: "unknown",
    });
    expect(await anon.invitation.preview({ token: newToken })).toMatchObject({
      role: "ADMIN",
      email: "twice@x.test",
      organizationName: org.name,
    });
    expect(await auditActions(db, org.id)).toEqual([
      "organization.created",
      "invitation.created",
      "invitation.resent",
    ]);
    const resent = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: org.id, action: "invitation.resent" },
    });
    expect(resent.changes).toMatchObject({ role: { from: "MEMBER", to: "ADMIN" } });
  });

  it("inviting a current member is a clear conflict", async () => {
    const { org, api } = await enterprise();
    await addMember(db, org.id, await createUser(db, "already@x.test"), "MEMBER");
    const refused = await refusal(
      api.invitation.create({ organizationId: org.id, email: "Already@X.test", role: "MEMBER" }),
    );
    expect(refused.code).toBe("CONFLICT");
    expect(refused.appError).toEqual({ code: "ALREADY_MEMBER", organizationSlug: null });
    expect(await db.system.invitation.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it("resend: new token, old one invalid, new expiry; revoke: link dead, seat freed", async () => {
    const { org, api } = await enterprise();
    const invitation = await api.invitation.create({
      organizationId: org.id,
      email: "resend@x.test",
      role: "MEMBER",
    });
    const oldToken = await tokenFromEmail(db, "resend@x.test");
    // Nearly expired, so the new expiry is visibly later.
    await db.system.invitation.update({
      where: { id: invitation.id },
      data: { expiresAt: new Date(Date.now() + 60_000) },
    });
    const resent = await api.invitation.resend({
      organizationId: org.id,
      invitationId: invitation.id,
    });
    expect(resent.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const newToken = await tokenFromEmail(db, "resend@x.test");
    expect(newToken).not.toBe(oldToken);
    const anon = callerFor(db, null);
    expect((await refusal(anon.invitation.preview({ token: oldToken }))).appError?.code).toBe(
      "INVITATION_INVALID",
    );
    await anon.invitation.preview({ token: newToken });

    await api.invitation.revoke({ organizationId: org.id, invitationId: invitation.id });
    expect((await refusal(anon.invitation.preview({ token: newToken }))).appError).toEqual({
      code: "INVITATION_INVALID",
      reason: "revoked",
    });
    expect(await api.invitation.list({ organizationId: org.id })).toEqual([]);
    // Revoked invitations cannot be resent or revoked again.
    const again = await refusal(
      api.invitation.resend({ organizationId: org.id, invitationId: invitation.id }),
    );
    expect(again.appError).toEqual({
      code: "INVALID_STATE",
      detail: "This invitation was revoked",
    });
    expect(
      (
        await refusal(
          api.invitation.revoke({ organizationId: org.id, invitationId: invitation.id }),
        )
      ).appError?.code,
    ).toBe("INVALID_STATE");
    expect(await auditActions(db, org.id)).toEqual([
      "organization.created",
      "invitation.created",
      "invitation.resent",
      "invitation.revoked",
    ]);
    const revoked = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: org.id, action: "invitation.revoked" },
    });
    expect(revoked.changes).toMatchObject({
      revokedAt: { from: null },
      email: { from: "resend@x.test" },
    });
  });
});

describe("seats: members plus pending invitations (Enterprise: 50)", () => {
  it("the 50th seat can be invited, the 51st is refused with the limit and nothing stored", async () => {
    const { org, api } = await enterprise();
    // Owner + 30 members + 18 pending = 49: both kinds must count for the 51st to be refused.
    await fillSeats(org.id, { members: 30, pending: 18 });
    expect(await seatsUsed(org.id)).toBe(49);
    const fiftieth = await api.invitation.create({
      organizationId: org.id,
      email: "fiftieth@x.test",
      role: "MEMBER",
    });
    expect(fiftieth).toMatchObject({ status: "pending", refreshed: false });
    expect(await seatsUsed(org.id)).toBe(ENTERPRISE_SEATS);

    const before = await teamState(db, org.id);
    const refused = await refusal(
      api.invitation.create({
        organizationId: org.id,
        email: "fifty-first@x.test",
        role: "MEMBER",
      }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.appError).toEqual(seatsFull(50));
    expect(await teamState(db, org.id)).toEqual(before);
    expect(await db.system.email.count({ where: { to: "fifty-first@x.test" } })).toBe(0);
  });

  it("revoked and expired invitations hold no seat; reviving an expired one needs a seat", async () => {
    const { org, api } = await enterprise();
    // 10 revoked and 10 expired rows alongside: still 1 + 46 + 3 = 50, full.
    const { pendingIds } = await fillSeats(org.id, {
      members: 46,
      pending: 3,
      revoked: 10,
      expired: 10,
    });
    const [revokeMe, expireMe, keepMe] = pendingIds as [string, string, string];
    expect(await seatsUsed(org.id)).toBe(ENTERPRISE_SEATS);
    expect(
      (
        await refusal(
          api.invitation.create({ organizationId: org.id, email: "one@x.test", role: "MEMBER" }),
        )
      ).appError,
    ).toEqual(seatsFull(50));

    // Revoking frees a seat, and exactly one.
    await api.invitation.revoke({ organizationId: org.id, invitationId: revokeMe });
    await api.invitation.create({ organizationId: org.id, email: "one@x.test", role: "MEMBER" });
    expect(
      (
        await refusal(
          api.invitation.create({ organizationId: org.id, email: "two@x.test", role: "MEMBER" }),
        )
      ).appError,
    ).toEqual(seatsFull(50));

    // Expiry frees a seat, and exactly one.
    await db.system.invitation.update({
      where: { id: expireMe },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const listed = await api.invitation.list({ organizationId: org.id });
    expect(listed.find((i) => i.id === expireMe)?.status).toBe("expired");
    await api.invitation.create({ organizationId: org.id, email: "two@x.test", role: "MEMBER" });
    expect(
      (
        await refusal(
          api.invitation.create({ organizationId: org.id, email: "three@x.test", role: "MEMBER" }),
        )
      ).appError,
    ).toEqual(seatsFull(50));

    // Resending the expired one would take a seat again: refused while full.
    const resend = await refusal(
      api.invitation.resend({ organizationId: org.id, invitationId: expireMe }),
    );
    expect(resend.appError).toEqual(seatsFull(50));
    // A pending (not expired) invitation is resent without needing a new seat.
    await api.invitation.resend({ organizationId: org.id, invitationId: keepMe });
    expect(await seatsUsed(org.id)).toBe(ENTERPRISE_SEATS);
  });

  it("12 concurrent invitations with 3 free seats: exactly 3 succeed", async () => {
    const { org, api } = await enterprise();
    await fillSeats(org.id, { members: 40, pending: 6 });
    const free = ENTERPRISE_SEATS - (await seatsUsed(org.id));
    expect(free).toBe(3);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        api.invitation.create({ organizationId: org.id, email: `race${i}@x.test`, role: "MEMBER" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(free);
    for (const result of results) {
      if (result.status === "rejected")
        expect((await refusal(Promise.reject(result.reason))).appError).toEqual(seatsFull(50));
    }
    expect(
      await db.system.invitation.count({
        where: { organizationId: org.id, email: { startsWith: "race" } },
      }),
    ).toBe(free);
    expect(await seatsUsed(org.id)).toBe(ENTERPRISE_SEATS);
  });
});

describe("accepting", () => {
  async function invited(
    email: string,
    role: "MEMBER" | "ADMIN" | "OWNER" = "MEMBER",
    plan = "enterprise",
  ) {
    const fixture = await enterprise(plan);
    const invitation = await fixture.api.invitation.create({
      organizationId: fixture.org.id,
      email,
      role,
    });
    return { ...fixture, invitation, token: await tokenFromEmail(db, email) };
  }

  it("the invited user (any letter case) joins with the role; preview shows organization and role", async () => {
    const { org, owner, invitation, token } = await invited("joiner@x.test", "ADMIN");
    const preview = await callerFor(db, null).invitation.preview({ token });
    expect(preview).toEqual({
      organizationName: org.name,
      role: "ADMIN",
      email: "joiner@x.test",
      invitedBy: owner.name,
      expiresAt: invitation.expiresAt,
    });
    const joiner = await createUser(db, "Joiner@X.test");
    const accepted = await callerFor(db, joiner).invitation.accept({ token });
    expect(accepted).toEqual({ organizationId: org.id, slug: org.slug, role: "ADMIN" });
    const membership = await db.system.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: org.id, userId: joiner.id } },
    });
    expect(membership.role).toBe("ADMIN");
    const row = await db.system.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.acceptedById).toBe(joiner.id);
    expect(row.acceptedAt).not.toBeNull();
    // The new member now sees the organization.
    expect((await callerFor(db, joiner).organization.list()).map((o) => o.id)).toContain(org.id);
    expect(await auditActions(db, org.id)).toEqual([
      "organization.created",
      "invitation.created",
      "invitation.accepted",
      "member.added",
    ]);
    const added = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: org.id, action: "member.added" },
    });
    expect(added).toMatchObject({ actorId: joiner.id, targetId: membership.id });
    expect(added.changes).toMatchObject({ userId: { to: joiner.id }, role: { to: "ADMIN" } });
  });

  describe("every token rule: a typed refusal and no state change", () => {
    async function expectRefused(
      orgId: string,
      attempt: () => Promise<unknown>,
      expected: { code: string; appError: unknown },
    ) {
      const before = await teamState(db, orgId);
      const refused = await refusal(attempt());
      expect({ code: refused.code, appError: refused.appError }).toEqual(expected);
      expect(await teamState(db, orgId)).toEqual(before);
      return refused;
    }

    it("garbage and unknown tokens", async () => {
      const { org } = await invited("garbage@x.test");
      const user = await createUser(db, "garbage-user@x.test");
      for (const token of ["", "not-a-token", "x".repeat(512), "A".repeat(43), "' OR 1=1 --"]) {
        const refused = await expectRefused(
          org.id,
          () => callerFor(db, user).invitation.accept({ token }),
          {
            code: "BAD_REQUEST",
            appError: { code: "INVITATION_INVALID", reason: "unknown" },
          },
        );
        expect(refused.message).toBe("This invitation link is not valid");
        expect((await refusal(callerFor(db, null).invitation.preview({ token }))).appError).toEqual(
          { code: "INVITATION_INVALID", reason: "unknown" },
        );
      }
    });

    it("expired", async () => {
      const { org, invitation, token } = await invited("late@x.test");
      await db.system.invitation.update({
        where: { id: invitation.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const late = await createUser(db, "late@x.test");
      await expectRefused(org.id, () => callerFor(db, late).invitation.accept({ token }), {
        code: "BAD_REQUEST",
        appError: { code: "INVITATION_INVALID", reason: "expired" },
      });
      expect((await refusal(callerFor(db, null).invitation.preview({ token }))).appError).toEqual({
        code: "INVITATION_INVALID",
        reason: "expired",
      });
    });

    it("revoked", async () => {
      const { org, api, invitation, token } = await invited("revoked@x.test");
      await api.invitation.revoke({ organizationId: org.id, invitationId: invitation.id });
      const user = await createUser(db, "revoked@x.test");
      await expectRefused(org.id, () => callerFor(db, user).invitation.accept({ token }), {
        code: "BAD_REQUEST",
        appError: { code: "INVITATION_INVALID", reason: "revoked" },
      });
    });

    it("reused: single use, even by another user with the same address later", async () => {
      const { org, token } = await invited("once@x.test");
      const user = await createUser(db, "once@x.test");
      await callerFor(db, user).invitation.accept({ token });
      await expectRefused(org.id, () => callerFor(db, user).invitation.accept({ token }), {
        code: "BAD_REQUEST",
        appError: { code: "INVITATION_INVALID", reason: "used" },
      });
    });

    it("concurrent accepts of one token: exactly one membership", async () => {
      const { org, token } = await invited("racer@x.test");
      const user = await createUser(db, "racer@x.test");
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => callerFor(db, user).invitation.accept({ token })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(
        await db.system.membership.count({ where: { organizationId: org.id, userId: user.id } }),
      ).toBe(1);
    });

    it("another address than the signed-in user's", async () => {
      const { org, token } = await invited("right@x.test");
      const wrong = await createUser(db, "wrong@x.test");
      const refused = await expectRefused(
        org.id,
        () => callerFor(db, wrong).invitation.accept({ token }),
        {
          code: "FORBIDDEN",
          appError: { code: "INVITATION_EMAIL_MISMATCH" },
        },
      );
      expect(refused.message).toContain("different email address");
    });

    it("signed out", async () => {
      const { org, token } = await invited("anon@x.test");
      await expectRefused(org.id, () => callerFor(db, null).invitation.accept({ token }), {
        code: "UNAUTHORIZED",
        appError: { code: "UNAUTHENTICATED" },
      });
    });

    it("already a member: a clear message with the slug, no duplicate", async () => {
      const { org, token } = await invited("member-already@x.test");
      const user = await createUser(db, "member-already@x.test");
      await addMember(db, org.id, user, "MEMBER");
      await expectRefused(org.id, () => callerFor(db, user).invitation.accept({ token }), {
        code: "CONFLICT",
        appError: { code: "ALREADY_MEMBER", organizationSlug: org.slug },
      });
      expect(
        await db.system.membership.count({ where: { organizationId: org.id, userId: user.id } }),
      ).toBe(1);
    });

    it("a foreign organization's admin cannot resend or revoke it; the token joins only its own organization", async () => {
      const { org, invitation, token } = await invited("foreign@x.test");
      const other = await enterprise();
      for (const attempt of [
        () =>
          other.api.invitation.revoke({
            organizationId: other.org.id,
            invitationId: invitation.id,
          }),
        () =>
          other.api.invitation.resend({
            organizationId: other.org.id,
            invitationId: invitation.id,
          }),
        () => other.api.invitation.revoke({ organizationId: org.id, invitationId: invitation.id }),
      ]) {
        await expectRefused(org.id, attempt, {
          code: "NOT_FOUND",
          appError: expect.objectContaining({ code: "NOT_FOUND" }) as unknown,
        });
      }
      const user = await createUser(db, "foreign@x.test");
      await callerFor(db, user).invitation.accept({ token });
      expect(
        await db.system.membership.findMany({
          where: { userId: user.id },
          select: { organizationId: true },
        }),
      ).toEqual([{ organizationId: org.id }]);
    });
  });

  it("an organization already over its seat limit takes no new member; back at the limit, the accept works", async () => {
    // A state from before a limit change: owner + 1 invited + 49 members written directly = 51.
    const { org, api, token } = await invited("over@x.test");
    const { membershipIds } = await fillSeats(org.id, { members: 49 });
    expect(await seatsUsed(org.id)).toBe(51);
    const user = await createUser(db, "over@x.test");
    const before = await teamState(db, org.id);
    const refused = await refusal(callerFor(db, user).invitation.accept({ token }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(refused.appError).toEqual(seatsFull(51));
    expect(await teamState(db, org.id)).toEqual(before);

    // An admin removes one member: 50 of 50, the pending seat turns into a member seat.
    await api.member.remove({ organizationId: org.id, membershipId: membershipIds[0] ?? "" });
    expect(await callerFor(db, user).invitation.accept({ token })).toMatchObject({
      organizationId: org.id,
      role: "MEMBER",
    });
    expect(await seatsUsed(org.id)).toBe(ENTERPRISE_SEATS);
    expect(await db.system.membership.count({ where: { organizationId: org.id } })).toBe(
      ENTERPRISE_SEATS,
    );
  });

  it.each(["pro", "hybrid"] as const)(
    "after a downgrade to %s (no team.invite) accepting is refused, naming Enterprise",
    async (plan) => {
      const { org, token } = await invited(`down-${plan}@x.test`);
      await setPlan(db, org.id, plan);
      const user = await createUser(db, `down-${plan}@x.test`);
      const before = await teamState(db, org.id);
      const refused = await refusal(callerFor(db, user).invitation.accept({ token }));
      expect(refused.code).toBe("FORBIDDEN");
      expect(refused.appError).toEqual({
        code: "FEATURE_NOT_IN_PLAN",
        feature: "team.invite",
        currentPlan: plan,
        upgrade: { planKey: "enterprise", planName: "Enterprise" },
      });
      expect(await teamState(db, org.id)).toEqual(before);
      // Upgraded back to Enterprise, the same link works.
      await setPlan(db, org.id, "enterprise");
      expect(await callerFor(db, user).invitation.accept({ token })).toMatchObject({
        organizationId: org.id,
      });
    },
  );
});
