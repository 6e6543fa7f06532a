import { type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

/** Deletes expired single-use tokens (the teams module purges expired invitations). */
export const purgeExpiredTokensHandler: JobHandler<typeof jobs.purgeExpiredTokens> = async (
  _payload,
  ctx,
) => {
  const now = new Date();
  const [userTokens, verificationTokens] = await ctx.prisma.$transaction([
    ctx.prisma.userToken.deleteMany({ where: { expiresAt: { lt: now } } }),
    ctx.prisma.verificationToken.deleteMany({ where: { expires: { lt: now } } }),
  ]);
  ctx.log.info(
    {
      userTokens: userTokens.count,
      verificationTokens: verificationTokens.count,
    },
    "purged expired tokens",
  );
};
