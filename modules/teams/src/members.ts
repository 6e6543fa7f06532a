// Members: change role, remove, leave, transfer ownership. Rules (docs/teams.md):
//   - an organization always keeps at least one OWNER;
//   - only an OWNER grants, changes or removes the OWNER role (an ADMIN cannot promote to,
//     demote or remove an OWNER); MEMBERs manage nobody (the router requires ADMIN);
//   - anyone can leave, except the last owner.
// Every operation first takes the organization's members lock and then re-reads the actor's
// own role, so concurrent changes are serialised and each one checks the state it changes
// (two owners demoting each other at once cannot leave zero owners).
import { changedFields, recordAudit, snapshot } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { hasRole, type Role } from "@plinth/core/roles";
import type { TransactionClient } from "@plinth/db";
import type { MemberScope } from "@plinth/platform";

/** Serialises membership changes of one organization until the transaction ends. */
export async function lockMembers(tx: TransactionClient, organizationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${organizationId}:members`}))`;
}

/** The actor's role as it is now (after the lock), at least `atLeast`. */
async function actorRole(
  tx: TransactionClient,
  organizationId: string,
  userId: string,
  atLeast: Role,
): Promise<Role> {
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  // Removed concurrently: the organization no longer exists for them.
  if (!membership) throw notFound("Organization");
  if (!hasRole(membership.role, atLeast)) {
    throw new AppError({
      code: "FORBIDDEN_ROLE",
      requiredRole: atLeast === "OWNER" ? "OWNER" : "ADMIN",
    });
  }
  return membership.role;
}

async function findMember(tx: TransactionClient, organizationId: string, membershipId: string) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, organizationId },
    include: { user: { select: { email: true } } },
  });
  if (!membership) throw notFound("Member");
  return membership;
}

async function assertAnotherOwner(tx: TransactionClient, organizationId: string) {
  const owners = await tx.membership.count({ where: { organizationId, role: "OWNER" } });
  if (owners <= 1) throw new AppError({ code: "LAST_OWNER" });
}

const requireOwner = () => new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "OWNER" });

export function changeMemberRole(scope: MemberScope, input: { membershipId: string; role: Role }) {
  return scope.db.transaction((tx) => changeRoleIn(tx, scope, { ...ids(scope), ...input }));
}

/** The organization and the acting user of `scope`. */
function ids(scope: MemberScope) {
  return { organizationId: scope.organization.id, actorId: scope.actor.user.id };
}

async function changeRoleIn(
  tx: TransactionClient,
  scope: MemberScope,
  input: { organizationId: string; actorId: string; membershipId: string; role: Role },
) {
  await lockMembers(tx, input.organizationId);
  const actor = await actorRole(tx, input.organizationId, input.actorId, "ADMIN");
  const target = await findMember(tx, input.organizationId, input.membershipId);
  if (actor !== "OWNER" && (target.role === "OWNER" || input.role === "OWNER"))
    throw requireOwner();
  if (target.role === input.role) return { id: target.id, role: target.role, changed: false };
  if (target.role === "OWNER") await assertAnotherOwner(tx, input.organizationId);
  const updated = await tx.membership.update({
    where: { id: target.id },
    data: { role: input.role },
  });
  await recordAudit(tx, scope, {
    organizationId: input.organizationId,
    action: "member.role_changed",
    targetType: "membership",
    targetId: target.id,
    changes: changedFields(target, { role: input.role }),
  });
  return { id: updated.id, role: updated.role, changed: true };
}

export function removeMember(scope: MemberScope, input: { membershipId: string }) {
  return scope.db.transaction((tx) => removeIn(tx, scope, { ...ids(scope), ...input }));
}

async function removeIn(
  tx: TransactionClient,
  scope: MemberScope,
  input: { organizationId: string; actorId: string; membershipId: string },
) {
  await lockMembers(tx, input.organizationId);
  const actor = await actorRole(tx, input.organizationId, input.actorId, "ADMIN");
  const target = await findMember(tx, input.organizationId, input.membershipId);
  if (target.role === "OWNER") {
    if (actor !== "OWNER") throw requireOwner();
    await assertAnotherOwner(tx, input.organizationId);
  }
  await tx.membership.delete({ where: { id: target.id } });
  await recordAudit(tx, scope, {
    organizationId: input.organizationId,
    action: target.userId === input.actorId ? "member.left" : "member.removed",
    targetType: "membership",
    targetId: target.id,
    changes: snapshot(
      { userId: target.userId, email: target.user.email, role: target.role },
      "from",
    ),
  });
  return { id: target.id };
}

export function leaveOrganization(scope: MemberScope) {
  const input = { organizationId: scope.organization.id, userId: scope.actor.user.id };
  return scope.db.transaction((tx) => leaveIn(tx, scope, input));
}

async function leaveIn(
  tx: TransactionClient,
  scope: MemberScope,
  input: { organizationId: string; userId: string },
) {
  await lockMembers(tx, input.organizationId);
  const membership = await tx.membership.findUnique({
    where: {
      organizationId_userId: { organizationId: input.organizationId, userId: input.userId },
    },
    include: { user: { select: { email: true } } },
  });
  if (!membership) throw notFound("Organization");
  if (membership.role === "OWNER") await assertAnotherOwner(tx, input.organizationId);
  await tx.membership.delete({ where: { id: membership.id } });
  await recordAudit(tx, scope, {
    organizationId: input.organizationId,
    action: "member.left",
    targetType: "membership",
    targetId: membership.id,
    changes: snapshot(
      { userId: membership.userId, email: membership.user.email, role: membership.role },
      "from",
    ),
  });
  return { id: membership.id };
}

/** The target member becomes an OWNER; the current owner becomes an ADMIN. */
export function transferOwnership(scope: MemberScope, input: { membershipId: string }) {
  return scope.db.transaction((tx) => transferIn(tx, scope, { ...ids(scope), ...input }));
}

async function transferIn(
  tx: TransactionClient,
  scope: MemberScope,
  input: { organizationId: string; actorId: string; membershipId: string },
) {
  await lockMembers(tx, input.organizationId);
  await actorRole(tx, input.organizationId, input.actorId, "OWNER");
  const target = await findMember(tx, input.organizationId, input.membershipId);
  if (target.userId === input.actorId) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "Choose another member to transfer ownership to",
    });
  }
  if (target.role === "OWNER")
    throw new AppError({ code: "INVALID_STATE", detail: "That member is already an owner" });
  const actor = await tx.membership.update({
    where: {
      organizationId_userId: { organizationId: input.organizationId, userId: input.actorId },
    },
    data: { role: "ADMIN" },
  });
  await tx.membership.update({ where: { id: target.id }, data: { role: "OWNER" } });
  await recordAudit(tx, scope, {
    organizationId: input.organizationId,
    action: "organization.ownership_transferred",
    targetType: "membership",
    targetId: target.id,
    changes: {
      newOwnerRole: { from: target.role, to: "OWNER" },
      newOwnerUserId: { to: target.userId },
      previousOwnerRole: { from: "OWNER", to: "ADMIN" },
      previousOwnerUserId: { to: actor.userId },
    },
  });
  return { newOwnerMembershipId: target.id, previousOwnerMembershipId: actor.id };
}
