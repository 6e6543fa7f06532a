import { type jobs } from "@plinth/jobs";
import { deliverWebhook } from "@plinth/webhooks";
import { type JobHandler } from "./types.ts";

/** One attempt of an outbound webhook delivery (retries are scheduled by @plinth/webhooks). */
export const deliverWebhookHandler: JobHandler<typeof jobs.webhookDeliver> = async (
  payload,
  ctx,
) => {
  await deliverWebhook(ctx.prisma, payload.deliveryId, { log: ctx.log });
};
