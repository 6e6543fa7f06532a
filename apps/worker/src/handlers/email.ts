import { deliverEmail } from "@plinth/email";
import { type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

export const sendEmailHandler: JobHandler<typeof jobs.emailSend> = async ({ emailId }, ctx) => {
  const result = await deliverEmail(ctx.prisma, emailId, {
    isFinalAttempt: ctx.job.isFinalAttempt,
    ...(ctx.emailTransport ? { transport: ctx.emailTransport } : {}),
  });
  // "failed": the provider refused it for good (the Email row has the error); the job is done.
  if (result === "failed") ctx.log.warn({ emailId, result }, "email failed permanently");
  else ctx.log.info({ emailId, result }, "email delivered");
};
