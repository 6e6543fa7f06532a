// Sign-up through an invitation (docs/identity.md, docs/teams.md): no trial organization of
// their own, the email counts as verified (the token reached that mailbox), no verification
// email; accepting stays a separate step and works at once. A token that does not match —
// another address, revoked, garbage — gives an ordinary sign-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { callerFor, createOrganization, createUser, setPlan } from "./kit.ts";
import { tokenFromEmail } from "./teams-helpers.ts";

let db: TestDatabase;
let organizationId: string;
let owner: Awaited<ReturnType<typeof createUser>>;
const password = "a long enough password";

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createUser(db, "owner@acme.test");
  organizationId = (await createOrganization(db, owner, "Acme Enterprise")).id;
  await setPlan(db, organizationId, "enterprise");
});
afterAll(() => db.drop());

async function invite(email: string) {
  await callerFor(db, owner).invitation.create({ organizationId, email, role: "MEMBER" });
  return tokenFromEmail(db, email);
}

const signUp = (email: string, invitationToken?: string) =>
  callerFor(db, null).account.signUp({
    name: email.split("@")[0] ?? "x",
    email,
    password,
    ...(invitationToken ? { invitationToken } : {}),
  });

async function userState(email: string) {
  const user = await db.system.user.findUniqueOrThrow({
    where: { email },
    include: { memberships: true },
  });
  return {
    user,
    organizations: user.memberships.length,
    verificationEmails: await db.system.email.count({
      where: { to: email, template: { not: "invitation" } },
    }),
  };
}

describe("sign-up through an invitation", () => {
  it("creates no organization, verifies the address, sends no verification email; accept then joins", async () => {
    const token = await invite("new.hire@example.com");
    const organizationsBefore = await db.system.organization.count();
    expect(await signUp("New.Hire@Example.com", token)).toEqual({ accepted: true });
    expect(await db.system.organization.count()).toBe(organizationsBefore);
    const state = await userState("new.hire@example.com");
    expect(state.organizations).toBe(0);
    expect(state.user.emailVerified).toBeInstanceOf(Date);
    expect(state.verificationEmails).toBe(0);
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { targetId: state.user.id, action: "user.email_verified" },
    });
    expect(audit.changes).toMatchObject({ via: { to: "invitation" } });

    // The invitation is still open until the user accepts it.
    const invitation = await db.system.invitation.findFirstOrThrow({
      where: { email: "new.hire@example.com" },
    });
    expect(invitation.acceptedAt).toBeNull();
    const session = {
      id: state.user.id,
      email: state.user.email,
      name: state.user.name,
      platformRole: state.user.platformRole,
      status: state.user.status,
    };
    expect(await callerFor(db, session).invitation.accept({ token })).toMatchObject({
      organizationId,
      role: "MEMBER",
    });
    expect((await callerFor(db, session).organization.list()).map((o) => o.id)).toEqual([
      organizationId,
    ]);
  });

  it("a token for another address, a revoked or a garbage token: an ordinary sign-up (own trial organization, verification email)", async () => {
    const otherToken = await invite("someone.else@example.com");
    const revokedToken = await invite("revoked@example.com");
    const revoked = await db.system.invitation.findFirstOrThrow({
      where: { email: "revoked@example.com" },
    });
    await callerFor(db, owner).invitation.revoke({ organizationId, invitationId: revoked.id });

    for (const [email, token] of [
      ["not.invited@example.com", otherToken],
      ["revoked@example.com", revokedToken],
      ["garbage@example.com", "not-a-token"],
    ] as const) {
      expect(await signUp(email, token)).toEqual({ accepted: true });
      const state = await userState(email);
      expect(state.organizations, email).toBe(1);
      expect(state.user.emailVerified, email).toBeNull();
      expect(state.verificationEmails, email).toBe(1);
    }
    // The other address's invitation is untouched.
    expect(
      (
        await db.system.invitation.findFirstOrThrow({
          where: { email: "someone.else@example.com" },
        })
      ).acceptedAt,
    ).toBeNull();
  });

  it("without a token: the trial organization as before", async () => {
    expect(await signUp("solo@example.com")).toEqual({ accepted: true });
    expect((await userState("solo@example.com")).organizations).toBe(1);
  });
});
