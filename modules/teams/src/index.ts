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
