// The teams module: inviting people into an organization and managing its members (roles,
// removal, leaving, ownership transfer) — docs/teams.md. Members and seats themselves are
// core (every organization has members); a pending invitation holds a seat too, so this
// module counts its open invitations toward core's `seats` limit. Invitations are
// Enterprise-only through the `team.invite` feature.
import { defineModule } from "@plinth/platform";
import { teamsJobs } from "./jobs.ts";
import { invitedTo } from "./invitations.ts";

export const teamsModule = defineModule({
  key: "teams",
  name: "Teams",
  description: "Invitations, member roles, removal and ownership transfer.",
  features: {
    "team.invite": { description: "Invite people into the organization" },
  },
  countsToward: {
    // Unaccepted, unrevoked, unexpired invitations hold a seat.
    seats: (tx, organizationId, now) =>
      tx.invitation.count({
        where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      }),
  },
  jobs: Object.values(teamsJobs),
  cron: [{ job: teamsJobs.purgeExpiredInvitations, match: "40 3 * * *", maxAttempts: 3 }],
  nav: [{ segment: "members", label: "Members", icon: "users", order: 30 }],
  tenantModels: ["Invitation"],
  signUp: { invited: invitedTo },
  gdpr: {
    // The invitations the user sent or accepted (an accepted one holds their address).
    exportUser: async (tx, userId) => ({
      invitations: await tx.invitation.findMany({
        where: { OR: [{ invitedById: userId }, { acceptedById: userId }] },
        orderBy: { createdAt: "asc" },
        select: {
          organizationId: true,
          email: true,
          role: true,
          invitedById: true,
          acceptedAt: true,
          revokedAt: true,
          createdAt: true,
        },
      }),
    }),
    // Accepting is on the organization's audit log; the accepted invitation (their address)
    // goes. Invitations they sent stay with the organization, without the sender.
    deleteUser: async (tx, userId) => {
      await tx.invitation.deleteMany({ where: { acceptedById: userId } });
      await tx.invitation.updateMany({
        where: { invitedById: userId },
        data: { invitedById: null },
      });
    },
    userReferences: [
      { table: "invitations", column: "accepted_by_id", onUserDeleted: "erased" },
      { table: "invitations", column: "invited_by_id", onUserDeleted: "cleared" },
    ],
    exportOrganization: async (tx, organizationId) => ({
      // Never the token hashes.
      invitations: await tx.invitation.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          email: true,
          role: true,
          expiresAt: true,
          acceptedAt: true,
          revokedAt: true,
          createdAt: true,
        },
      }),
    }),
  },
});

export { teamsJobs };
export default teamsModule;
