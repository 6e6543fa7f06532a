import { type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

/** Deletes expired, unaccepted invitations and expired single-use tokens. */
export const purgeExpiredTokensHandler: JobHandler<typeof jobs.purgeExpiredTokens> = async (
  _payload,
  ctx,
) => {
  const now = new Date();
  const [invitations, userTokens, verificationTokens] = await ctx.prisma.$transaction([
    ctx.prisma.invitation.deleteMany({ where: { expiresAt: { lt: now }, acceptedAt: null } }),
    ctx.prisma.userToken.deleteMany({ where: { expiresAt: { lt: now } } }),
    ctx.prisma.verificationToken.deleteMany({ where: { expires: { lt: now } } }),
  ]);
  ctx.log.info(
    {
      invitations: invitations.count,
      userTokens: userTokens.count,
      verificationTokens: verificationTokens.count,
    },
    "purged expired tokens",
  );
};
