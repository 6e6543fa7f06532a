// The teams module's tRPC adapter: invitations and member management (docs/teams.md), a few
// lines per procedure over ./invitations.ts and ./members.ts.
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  gatingFor,
  orgAdminProcedure,
  orgOwnerProcedure,
  orgProcedure,
  protectedProcedure,
  publicProcedure,
  verifiedEmail,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  createInvitationInput,
  invitationInput,
  invitationTokenInput,
  membershipInput,
  updateMemberRoleInput,
} from "./contract.ts";
import { teamsModule } from "./index.ts";
import * as invitations from "./invitations.ts";
import * as members from "./members.ts";

const { feature, limit } = gatingFor(teamsModule);

export const invitationRouter = createTRPCRouter({
  /** Open invitations (pending, or expired and resendable). Admins only: they list addresses. */
  list: orgAdminProcedure.query(({ ctx }) => invitations.listOpenInvitations(ctx.scope)),

  /** Enterprise (team.invite) and a free seat; members + pending invitations count as seats. */
  create: orgAdminProcedure
    .use(verifiedEmail)
    .use(feature("team.invite"))
    .use(limit("seats"))
    .input(createInvitationInput)
    .mutation(({ ctx, input }) => invitations.createInvitation(ctx.scope, input)),

  resend: orgAdminProcedure
    .use(verifiedEmail)
    .use(feature("team.invite"))
    .input(invitationInput)
    .mutation(({ ctx, input }) => invitations.resendInvitation(ctx.scope, input)),

  /** Works on any plan and while read-only: taking access away is always allowed. */
  revoke: orgAdminProcedure
    .meta({ allowWhenReadOnly: true })
    .input(invitationInput)
    .mutation(({ ctx, input }) => invitations.revokeInvitation(ctx.scope, input)),

  /** For the accept page: the token is the credential (32 random bytes). */
  preview: publicProcedure
    .input(invitationTokenInput)
    .query(({ ctx, input }) => invitations.previewInvitation(ctx.scope, input)),

  accept: protectedProcedure
    .input(invitationTokenInput)
    .mutation(({ ctx, input }) => invitations.acceptInvitation(ctx.scope, input)),
});

export const memberRouter = createTRPCRouter({
  updateRole: orgAdminProcedure
    .input(updateMemberRoleInput)
    .mutation(({ ctx, input }) => members.changeMemberRole(ctx.scope, input)),

  remove: orgAdminProcedure
    .meta({ allowWhenReadOnly: true })
    .input(membershipInput)
    .mutation(({ ctx, input }) => members.removeMember(ctx.scope, input)),

  leave: orgProcedure
    .meta({ allowWhenReadOnly: true })
    .mutation(({ ctx }) => members.leaveOrganization(ctx.scope)),

  transferOwnership: orgOwnerProcedure
    .input(membershipInput)
    .mutation(({ ctx, input }) => members.transferOwnership(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = { invitation: invitationRouter, member: memberRouter };

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type TeamsApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type TeamsCaller = CallerOf<TeamsApi>;
export type TeamsOutputs = inferRouterOutputs<TeamsApi>;
