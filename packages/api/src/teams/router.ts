// Teams: invitations and member management (docs/teams.md). Thin procedures over
// ./invitations.ts and ./members.ts.
import { z } from "zod";
import { cuid, email, invitationToken } from "../inputs.ts";
import { requireFeature, requireLimit } from "../middleware/gating.ts";
import { orgAdminProcedure, orgOwnerProcedure, orgProcedure } from "../middleware/organization.ts";
import { requireVerifiedEmail } from "../middleware/verified.ts";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc.ts";
import {
  acceptInvitation,
  createInvitation,
  listOpenInvitations,
  previewInvitation,
  resendInvitation,
  revokeInvitation,
} from "./invitations.ts";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership } from "./members.ts";

const role = z.enum(["OWNER", "ADMIN", "MEMBER"]);
const id = cuid;
const token = invitationToken;

export const invitationRouter = createTRPCRouter({
  /** Open invitations (pending, or expired and resendable). Admins only: they list addresses. */
  list: orgAdminProcedure.query(({ ctx }) =>
    ctx.tx((tx) => listOpenInvitations(tx, ctx.org.id, ctx.now())),
  ),

  /** Enterprise (team.invite) and a free seat; members + pending invitations count as seats. */
  create: orgAdminProcedure
    .use(requireVerifiedEmail)
    .use(requireFeature("team.invite"))
    .use(requireLimit("seats"))
    .input(z.object({ email, role: role.default("MEMBER") }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        createInvitation(tx, ctx, {
          organization: { id: ctx.org.id, name: ctx.org.name },
          inviter: { ...ctx.user, role: ctx.org.role },
          email: input.email,
          role: input.role,
          now: ctx.now(),
        }),
      ),
    ),

  resend: orgAdminProcedure
    .use(requireVerifiedEmail)
    .use(requireFeature("team.invite"))
    .input(z.object({ invitationId: id }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        resendInvitation(tx, ctx, {
          organization: {
            id: ctx.org.id,
            name: ctx.org.name,
            seats: ctx.org.entitlements.limits.seats,
            planKey: ctx.org.entitlements.plan.key,
          },
          inviter: { ...ctx.user, role: ctx.org.role },
          invitationId: input.invitationId,
          now: ctx.now(),
        }),
      ),
    ),

  /** Works on any plan and while read-only: taking access away is always allowed. */
  revoke: orgAdminProcedure
    .meta({ allowWhenReadOnly: true })
    .input(z.object({ invitationId: id }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        revokeInvitation(tx, ctx, {
          organizationId: ctx.org.id,
          invitationId: input.invitationId,
          now: ctx.now(),
        }),
      ),
    ),

  /** For the accept page: the token is the credential (32 random bytes). */
  preview: publicProcedure
    .input(z.object({ token }))
    .query(({ ctx, input }) =>
      previewInvitation(ctx.db.app, { token: input.token, now: ctx.now() }),
    ),

  accept: protectedProcedure.input(z.object({ token })).mutation(({ ctx, input }) =>
    acceptInvitation(ctx.db.app, ctx, {
      token: input.token,
      now: ctx.now(),
      pastDueGraceDays: ctx.config.pastDueGraceDays,
    }),
  ),
});

export const memberRouter = createTRPCRouter({
  updateRole: orgAdminProcedure
    .input(z.object({ membershipId: id, role }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        changeMemberRole(tx, ctx, {
          organizationId: ctx.org.id,
          actorId: ctx.user.id,
          membershipId: input.membershipId,
          role: input.role,
        }),
      ),
    ),

  remove: orgAdminProcedure
    .meta({ allowWhenReadOnly: true })
    .input(z.object({ membershipId: id }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        removeMember(tx, ctx, {
          organizationId: ctx.org.id,
          actorId: ctx.user.id,
          membershipId: input.membershipId,
        }),
      ),
    ),

  leave: orgProcedure
    .meta({ allowWhenReadOnly: true })
    .mutation(({ ctx }) =>
      ctx.tx((tx) =>
        leaveOrganization(tx, ctx, { organizationId: ctx.org.id, userId: ctx.user.id }),
      ),
    ),

  transferOwnership: orgOwnerProcedure
    .input(z.object({ membershipId: id }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        transferOwnership(tx, ctx, {
          organizationId: ctx.org.id,
          actorId: ctx.user.id,
          membershipId: input.membershipId,
        }),
      ),
    ),
});
