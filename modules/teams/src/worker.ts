// The teams module's worker adapter: the daily purge of expired invitations.
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker } from "@plinth/platform/worker";
import { teamsModule } from "./index.ts";
import { type teamsJobs } from "./jobs.ts";

const handlers: HandlersFor<typeof teamsJobs> = {
  /** Expired, unaccepted invitations go (until then an expired link says "expired"). */
  "teams.purgeExpiredInvitations": async (_payload, ctx) => {
    const { count } = await ctx.prisma.invitation.deleteMany({
      where: { expiresAt: { lt: new Date() }, acceptedAt: null },
    });
    ctx.log.info({ invitations: count }, "purged expired invitations");
  },
};

export const worker = defineModuleWorker(teamsModule, { handlers });
