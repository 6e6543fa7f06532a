import { deliverEmail } from "@plinth/email";
import { type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

export const sendEmailHandler: JobHandler<typeof jobs.emailSend> = async ({ emailId }, ctx) => {
  const result = await deliverEmail(ctx.prisma, emailId, {
    isFinalAttempt: ctx.job.isFinalAttempt,
    ...(ctx.emailTransport ? { transport: ctx.emailTransport } : {}),
  });
  ctx.log.info({ emailId, result }, "email delivered");
};
