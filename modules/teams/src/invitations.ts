// Invitations: create (or refresh), resend, revoke, list; preview and accept by token.
// Plain (scope, input) functions; the procedures (trpc.ts) add roles and plan gating. Rules
// are in docs/teams.md. A token is only ever returned inside the invitation email: no
// function here returns a token or its hash.
import {
  checkLimit,
  countLimit,
  lockLimit,
  planRefusal,
  requireFeature,
  requireWritable,
  resolveEntitlements,
  withinLimit,
  type PlanContext,
} from "@plinth/billing";
import { changedFields, recordAudit, snapshot } from "@plinth/core/audit";
import { coreEnv } from "@plinth/core/env";
import { AppError, notFound } from "@plinth/core/errors";
import type { Role } from "@plinth/core/roles";
import {
  tenantTransaction,
  type InvitationModel as Invitation,
  type PrismaClient,
  type TransactionClient,
} from "@plinth/db";
import { invitation as invitationEmail, sendEmail } from "@plinth/email";
import type { MemberScope, OrgScope, RequestScope, UserScope } from "@plinth/platform";
import { lockMembers } from "./members.ts";
import {
  generateInvitationToken,
  hashInvitationToken,
  INVITATION_TTL_MS,
  looksLikeInvitationToken,
} from "./tokens.ts";

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
interface Inviter {
  id: string;
  name: string | null;
  email: string;
  /** The inviter's role in the organization. */
  role: Role;
}

function inviterOf(scope: MemberScope): Inviter {
  const { id, name, email } = scope.actor.user;
  return { id, name, email, role: scope.role };
}

async function sendInvitationEmail(
  tx: TransactionClient,
  input: {
    organization: Organization;
    inviter: Inviter;
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
function assertMayGrant(inviter: Inviter, role: Role) {
  if (role === "OWNER" && inviter.role !== "OWNER")
    throw new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "OWNER" });
}

/**
 * Invites `email` with `role`. A second invitation to an address that already has an open
 * (unaccepted, unrevoked) invitation to this organization refreshes that one — new token,
 * new expiry, the new role — instead of adding a duplicate. The procedure holds the seats
 * limit (limit("seats")): this transaction joins its locked one.
 */
export function createInvitation(
  scope: MemberScope,
  input: { email: string; role: Role },
): Promise<PublicInvitation & { refreshed: boolean }> {
  const organization = { id: scope.organization.id, name: scope.organization.name };
  const inviter = inviterOf(scope);
  const { role } = input;
  const email = input.email.trim().toLowerCase();
  const now = scope.clock.now();
  assertMayGrant(inviter, role);

  return scope.db.transaction(async (tx) => {
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
      await recordAudit(tx, scope, {
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
      await recordAudit(tx, scope, {
        organizationId: organization.id,
        action: "invitation.created",
        targetType: "invitation",
        targetId: row.id,
        changes: snapshot({ email, role, expiresAt }, "to"),
      });
    }
    await sendInvitationEmail(tx, { organization, inviter, email, role, token, expiresAt });
    return { ...publicInvitation(row, now), refreshed: Boolean(open) };
  });
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
export function resendInvitation(
  scope: MemberScope,
  input: { invitationId: string },
): Promise<PublicInvitation> {
  const organization = { id: scope.organization.id, name: scope.organization.name };
  const inviter = inviterOf(scope);
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    await lockLimit(tx, organization.id, "seats");
    const before = await findOpenInvitation(tx, organization.id, input.invitationId);
    assertMayGrant(inviter, before.role);
    if (invitationStatus(before, now) === "expired") await checkLimit(scope, tx, "seats", 1);
    const { token, tokenHash } = generateInvitationToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const row = await tx.invitation.update({
      where: { id: before.id },
      data: { tokenHash, expiresAt, invitedById: inviter.id },
    });
    await recordAudit(tx, scope, {
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
  });
}

export function revokeInvitation(
  scope: OrgScope,
  input: { invitationId: string },
): Promise<PublicInvitation> {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    const before = await findOpenInvitation(tx, organizationId, input.invitationId);
    const row = await tx.invitation.update({
      where: { id: before.id },
      data: { revokedAt: now },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: row.id,
      changes: {
        ...changedFields(before, { revokedAt: now }),
        email: { from: row.email },
        role: { from: row.role },
      },
    });
    return publicInvitation(row, now);
  });
}

/** Open invitations (pending and expired-but-resendable), newest first. */
export function listOpenInvitations(scope: OrgScope) {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
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
export function previewInvitation(scope: RequestScope, input: { token: string }) {
  return preview(scope.db.app, { token: input.token, now: scope.clock.now() });
}

async function preview(prisma: PrismaClient, input: { token: string; now: Date }) {
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
 * The sign-up hook (index.ts): whether `token` is an open invitation addressed to `email`.
 * An unknown, expired, revoked or used token is no invitation: the sign-up is an ordinary one.
 */
export async function invitedTo(
  app: PrismaClient,
  input: { token: string; email: string; now: Date },
): Promise<boolean> {
  try {
    const found = await preview(app, { token: input.token, now: input.now });
    return found.email.toLowerCase() === input.email;
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

/**
 * Accepts the invitation for the signed-in user. Single use and concurrency-safe: the checks
 * and the writes run under the organization's seats and members locks. Refusals (unknown,
 * expired, revoked, used, another address, already a member, plan no longer allows it)
 * change nothing.
 */
export async function acceptInvitation(scope: UserScope, input: { token: string }) {
  const prisma = scope.db.app;
  const now = scope.clock.now();
  const found = await organizationForToken(prisma, input.token);
  if (!found) throw invalid("unknown");
  const { organizationId, tokenHash } = found;
  const user = scope.actor.user;
  return tenantTransaction(prisma, { organizationId, userId: user.id }, async (tx) => {
    // Same lock order everywhere: seats, then members.
    await lockLimit(tx, organizationId, "seats");
    await lockMembers(tx, organizationId);
    const invitation = await tx.invitation.findUnique({ where: { tokenHash } });
    if (!invitation || invitation.organizationId !== organizationId) throw invalid("unknown");
    assertUsable(invitation, now);
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

    // The plan may have changed since the invitation was sent: the same gating functions
    // as any procedure, for the organization the invitee is joining.
    const plan: PlanContext = {
      product: scope.product,
      entitlements: resolveEntitlements(scope.product.catalog, {
        organization,
        subscription: organization.subscription,
        now,
        pastDueGraceDays: scope.billing().pastDueGraceDays,
      }),
    };
    requireWritable(plan);
    requireFeature(plan, "team.invite");
    // Accepting turns a pending seat into a member seat: the total does not grow, but an
    // organization already over its (reduced) seat limit takes no new members.
    const current = await countLimit(scope.product, tx, { organizationId, limit: "seats", now });
    if (!withinLimit(plan.entitlements.limits.seats ?? null, current)) {
      throw planRefusal(plan, { kind: "limit", limit: "seats", current, adding: 0 });
    }

    const membership = await tx.membership.create({
      data: { organizationId, userId: user.id, role: invitation.role },
    });
    await tx.invitation.update({
      where: { id: invitation.id },
      data: { acceptedAt: now, acceptedById: user.id },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: invitation.id,
      changes: {
        acceptedAt: { from: null, to: now },
        acceptedById: { from: null, to: user.id },
      },
    });
    await recordAudit(tx, scope, {
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
