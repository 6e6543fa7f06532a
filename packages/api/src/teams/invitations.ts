// Invitations: create (or refresh), resend, revoke, list; preview and accept by token.
// Plain functions over a transaction; the router adds roles and plan gating. Rules are in
// docs/teams.md. A token is only ever returned inside the invitation email: no function here
// returns a token or its hash.
import { resolveEntitlements, withinLimit, type PlanKey } from "@plinth/billing";
import {
  tenantTransaction,
  type InvitationModel as Invitation,
  type PrismaClient,
  type TransactionClient,
} from "@plinth/db";
import { coreEnv } from "@plinth/core/env";
import { invitation as invitationEmail, sendEmail } from "@plinth/email";
import { changedFields, recordAudit, snapshot } from "../audit.ts";
import { AppError, notFound } from "../errors.ts";
import { LIMIT_USAGE, lockLimit } from "../middleware/gating.ts";
import { upgradeOffer, type Role } from "../middleware/organization.ts";
import type { Context } from "../trpc.ts";
import { lockMembers } from "./members.ts";
import {
  generateInvitationToken,
  hashInvitationToken,
  INVITATION_TTL_MS,
  looksLikeInvitationToken,
} from "./tokens.ts";

type AuditContext = Pick<Context, "user" | "ipAddress" | "requestId">;

export type InvitationStatus = "pending" | "expired" | "accepted" | "revoked";

export function invitationStatus(
  invitation: Pick<Invitation, "acceptedAt" | "revokedAt" | "expiresAt">,
  now: Date,
): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

/** What the API shows of an invitation: never the token hash. */
function publicInvitation(invitation: Invitation, now: Date) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    createdAt: invitation.createdAt,
    invitedById: invitation.invitedById,
    status: invitationStatus(invitation, now),
  };
}
export type PublicInvitation = ReturnType<typeof publicInvitation>;

function acceptUrl(token: string): string {
  return new URL(`/invite/${token}`, coreEnv().APP_URL).toString();
}

interface Organization {
  id: string;
  name: string;
}
interface Actor {
  id: string;
  name: string | null;
  email: string;
  /** The actor's role in the organization. */
  role: Role;
}

async function sendInvitationEmail(
  tx: TransactionClient,
  input: {
    organization: Organization;
    inviter: Actor;
    email: string;
    role: Role;
    token: string;
    expiresAt: Date;
  },
) {
  await sendEmail(tx, {
    to: input.email,
    ...invitationEmail({
      organizationName: input.organization.name,
      inviterName: input.inviter.name ?? input.inviter.email,
      role: input.role,
      acceptUrl: acceptUrl(input.token),
      expiresAt: input.expiresAt,
    }),
  });
}

/** Only owners hand out the OWNER role, by invitation or otherwise. */
function assertMayGrant(actor: Actor, role: Role) {
  if (role === "OWNER" && actor.role !== "OWNER")
    throw new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "OWNER" });
}

/**
 * Invites `email` with `role`. A second invitation to an address that already has an open
 * (unaccepted, unrevoked) invitation to this organization refreshes that one — new token,
 * new expiry, the new role — instead of adding a duplicate. The caller holds the seats lock
 * (requireLimit("seats")).
 */
export async function createInvitation(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organization: Organization; inviter: Actor; email: string; role: Role; now: Date },
): Promise<PublicInvitation & { refreshed: boolean }> {
  const { organization, inviter, role, now } = input;
  const email = input.email.trim().toLowerCase();
  assertMayGrant(inviter, role);

  const member = await tx.membership.findFirst({
    where: {
      organizationId: organization.id,
      user: { email: { equals: email, mode: "insensitive" } },
    },
    select: { id: true },
  });
  if (member)
    throw new AppError(
      { code: "ALREADY_MEMBER", organizationSlug: null },
      `${email} is already a member`,
    );

  const open = await tx.invitation.findFirst({
    where: { organizationId: organization.id, email, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "desc" },
  });
  const { token, tokenHash } = generateInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);

  let row: Invitation;
  if (open) {
    // An OWNER invitation is only changed by an owner.
    assertMayGrant(inviter, open.role);
    row = await tx.invitation.update({
      where: { id: open.id },
      data: { tokenHash, expiresAt, role, invitedById: inviter.id },
    });
    await recordAudit(tx, ctx, {
      organizationId: organization.id,
      action: "invitation.resent",
      targetType: "invitation",
      targetId: row.id,
      changes: changedFields(open, { role, expiresAt, invitedById: inviter.id }),
    });
  } else {
    row = await tx.invitation.create({
      data: {
        organizationId: organization.id,
        email,
        role,
        tokenHash,
        expiresAt,
        invitedById: inviter.id,
      },
    });
    await recordAudit(tx, ctx, {
      organizationId: organization.id,
      action: "invitation.created",
      targetType: "invitation",
      targetId: row.id,
      changes: snapshot({ email, role, expiresAt }, "to"),
    });
  }
  await sendInvitationEmail(tx, { organization, inviter, email, role, token, expiresAt });
  return { ...publicInvitation(row, now), refreshed: Boolean(open) };
}

async function findOpenInvitation(
  tx: TransactionClient,
  organizationId: string,
  invitationId: string,
) {
  const invitation = await tx.invitation.findFirst({ where: { id: invitationId, organizationId } });
  if (!invitation) throw notFound("Invitation");
  if (invitation.acceptedAt)
    throw new AppError({
      code: "INVALID_STATE",
      detail: "This invitation has already been accepted",
    });
  if (invitation.revokedAt)
    throw new AppError({ code: "INVALID_STATE", detail: "This invitation was revoked" });
  return invitation;
}

/**
 * A new token and a new 7-day expiry; the old link stops working. Reviving an expired
 * invitation takes a seat again, so that case re-checks the seats limit (under its lock).
 */
export async function resendInvitation(
  tx: TransactionClient,
  ctx: AuditContext,
  input: {
    organization: Organization & { seats: number | null; planKey: PlanKey };
    inviter: Actor;
    invitationId: string;
    now: Date;
  },
): Promise<PublicInvitation> {
  const { organization, inviter, now } = input;
  await lockLimit(tx, organization.id, "seats");
  const before = await findOpenInvitation(tx, organization.id, input.invitationId);
  assertMayGrant(inviter, before.role);
  if (invitationStatus(before, now) === "expired" && organization.seats !== null) {
    const current = await LIMIT_USAGE.seats(tx, organization.id);
    if (!withinLimit(organization.seats, current + 1)) {
      throw new AppError({
        code: "PLAN_LIMIT_REACHED",
        limit: "seats",
        current,
        max: organization.seats,
        currentPlan: organization.planKey,
        upgrade: upgradeOffer((plan) => withinLimit(plan.limits.seats, current + 1)),
      });
    }
  }
  const { token, tokenHash } = generateInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const row = await tx.invitation.update({
    where: { id: before.id },
    data: { tokenHash, expiresAt, invitedById: inviter.id },
  });
  await recordAudit(tx, ctx, {
    organizationId: organization.id,
    action: "invitation.resent",
    targetType: "invitation",
    targetId: row.id,
    changes: changedFields(before, { expiresAt, invitedById: inviter.id }),
  });
  await sendInvitationEmail(tx, {
    organization,
    inviter,
    email: row.email,
    role: row.role,
    token,
    expiresAt,
  });
  return publicInvitation(row, now);
}

export async function revokeInvitation(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organizationId: string; invitationId: string; now: Date },
): Promise<PublicInvitation> {
  const before = await findOpenInvitation(tx, input.organizationId, input.invitationId);
  const row = await tx.invitation.update({
    where: { id: before.id },
    data: { revokedAt: input.now },
  });
  await recordAudit(tx, ctx, {
    organizationId: input.organizationId,
    action: "invitation.revoked",
    targetType: "invitation",
    targetId: row.id,
    changes: {
      ...changedFields(before, { revokedAt: input.now }),
      email: { from: row.email },
      role: { from: row.role },
    },
  });
  return publicInvitation(row, input.now);
}

/** Open invitations (pending and expired-but-resendable), newest first. */
export async function listOpenInvitations(
  tx: TransactionClient,
  organizationId: string,
  now: Date,
) {
  const rows = await tx.invitation.findMany({
    where: { organizationId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "desc" },
  });
  const inviterIds = [
    ...new Set(rows.flatMap((row) => (row.invitedById ? [row.invitedById] : []))),
  ];
  const inviters = inviterIds.length
    ? await tx.user.findMany({
        where: { id: { in: inviterIds } },
        select: { id: true, name: true, email: true },
      })
    : [];
  const byId = new Map(inviters.map((user) => [user.id, user]));
  return rows.map((row) => {
    const inviter = row.invitedById ? byId.get(row.invitedById) : undefined;
    return {
      ...publicInvitation(row, now),
      invitedBy: inviter ? (inviter.name ?? inviter.email) : null,
    };
  });
}

// ─── By token (the invitee is not a member yet) ──────────────────────────────────────────────

const invalid = (reason: "unknown" | "expired" | "revoked" | "used") =>
  new AppError({ code: "INVITATION_INVALID", reason });

/**
 * The organization that issued the invitation with this token, through the definer function
 * (RLS hides other tenants' invitations from the app role); null for unknown or garbage tokens.
 */
async function organizationForToken(
  prisma: PrismaClient,
  token: string,
): Promise<{ organizationId: string; tokenHash: string } | null> {
  if (!looksLikeInvitationToken(token)) return null;
  const tokenHash = hashInvitationToken(token);
  const rows = await prisma.$queryRaw<{ organization_id: string | null }[]>`
    SELECT invitation_organization_id(${tokenHash}) AS organization_id`;
  const organizationId = rows[0]?.organization_id ?? null;
  return organizationId ? { organizationId, tokenHash } : null;
}

function assertUsable(invitation: Invitation, now: Date) {
  const status = invitationStatus(invitation, now);
  if (status === "revoked") throw invalid("revoked");
  if (status === "accepted") throw invalid("used");
  if (status === "expired") throw invalid("expired");
}

/** What the accept page shows before accepting: organization, role, the invited address. */
export async function previewInvitation(prisma: PrismaClient, input: { token: string; now: Date }) {
  const found = await organizationForToken(prisma, input.token);
  if (!found) throw invalid("unknown");
  return tenantTransaction(prisma, { organizationId: found.organizationId }, async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { tokenHash: found.tokenHash } });
    if (!invitation || invitation.organizationId !== found.organizationId) throw invalid("unknown");
    assertUsable(invitation, input.now);
    const organization = await tx.organization.findUniqueOrThrow({
      where: { id: invitation.organizationId },
      select: { name: true },
    });
    const inviter = invitation.invitedById
      ? await tx.user.findUnique({
          where: { id: invitation.invitedById },
          select: { name: true, email: true },
        })
      : null;
    return {
      organizationName: organization.name,
      role: invitation.role,
      email: invitation.email,
      invitedBy: inviter ? (inviter.name ?? inviter.email) : null,
      expiresAt: invitation.expiresAt,
    };
  });
}

/**
 * Accepts the invitation for the signed-in `user`. Single use and concurrency-safe: the
 * checks and the writes run under the organization's seats and members locks. Refusals
 * (unknown, expired, revoked, used, another address, already a member, plan no longer
 * allows it) change nothing.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  ctx: AuditContext & { user: { id: string; email: string } },
  input: { token: string; now: Date; pastDueGraceDays: number },
) {
  const found = await organizationForToken(prisma, input.token);
  if (!found) throw invalid("unknown");
  const { organizationId, tokenHash } = found;
  const user = ctx.user;
  return tenantTransaction(prisma, { organizationId, userId: user.id }, async (tx) => {
    // Same lock order everywhere: seats, then members.
    await lockLimit(tx, organizationId, "seats");
    await lockMembers(tx, organizationId);
    const invitation = await tx.invitation.findUnique({ where: { tokenHash } });
    if (!invitation || invitation.organizationId !== organizationId) throw invalid("unknown");
    assertUsable(invitation, input.now);
    if (invitation.email.toLowerCase() !== user.email.trim().toLowerCase()) {
      throw new AppError({ code: "INVITATION_EMAIL_MISMATCH" });
    }

    const organization = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { id: true, slug: true, trialEndsAt: true, createdAt: true, subscription: true },
    });
    const existing = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId, userId: user.id } },
      select: { id: true },
    });
    if (existing)
      throw new AppError({ code: "ALREADY_MEMBER", organizationSlug: organization.slug });

    // The plan may have changed since the invitation was sent.
    const entitlements = resolveEntitlements({
      organization,
      subscription: organization.subscription,
      now: input.now,
      pastDueGraceDays: input.pastDueGraceDays,
    });
    const currentPlan = entitlements.plan.key;
    if (entitlements.access === "read_only") {
      throw new AppError({
        code: "READ_ONLY",
        reason: entitlements.readOnlyReason ?? "SUBSCRIPTION_INACTIVE",
        currentPlan,
        upgrade: upgradeOffer(() => true),
      });
    }
    if (!entitlements.features["team.invite"]) {
      throw new AppError({
        code: "FEATURE_NOT_IN_PLAN",
        feature: "team.invite",
        currentPlan,
        upgrade: upgradeOffer((plan) => plan.features["team.invite"]),
      });
    }
    // Accepting turns a pending seat into a member seat: the total does not grow, but an
    // organization already over its (reduced) seat limit takes no new members.
    const max = entitlements.limits.seats;
    const current = await LIMIT_USAGE.seats(tx, organizationId);
    if (!withinLimit(max, current)) {
      throw new AppError({
        code: "PLAN_LIMIT_REACHED",
        limit: "seats",
        current,
        max: max ?? current,
        currentPlan,
        upgrade: upgradeOffer((plan) => withinLimit(plan.limits.seats, current)),
      });
    }

    const membership = await tx.membership.create({
      data: { organizationId, userId: user.id, role: invitation.role },
    });
    await tx.invitation.update({
      where: { id: invitation.id },
      data: { acceptedAt: input.now, acceptedById: user.id },
    });
    await recordAudit(tx, ctx, {
      organizationId,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: invitation.id,
      changes: {
        acceptedAt: { from: null, to: input.now },
        acceptedById: { from: null, to: user.id },
      },
    });
    await recordAudit(tx, ctx, {
      organizationId,
      action: "member.added",
      targetType: "membership",
      targetId: membership.id,
      changes: snapshot(
        {
          userId: user.id,
          email: invitation.email,
          role: invitation.role,
          invitationId: invitation.id,
        },
        "to",
      ),
    });
    return { organizationId, slug: organization.slug, role: membership.role };
  });
}
