// Outbound webhooks (owners and admins): endpoints, the delivery log, replay and a test event.
// Create and rotateSecret answer the signing secret once. Services: @plinth/platform/webhooks.
import {
  createWebhookEndpointInput,
  listWebhookDeliveriesInput,
  updateWebhookEndpointInput,
  webhookDeliveryInput,
  webhookEndpointInput,
} from "@plinth/platform/contracts";
import * as webhooks from "@plinth/platform/webhooks";
import { orgAdminProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

const admin = orgAdminProcedure;

export const webhookRouter = createTRPCRouter({
  /** The event types endpoints may subscribe to (core's and the enabled modules'). */
  eventTypes: admin.query(({ ctx }) => webhooks.webhookEventTypes(ctx.scope)),
  list: admin.query(({ ctx }) => webhooks.listWebhookEndpoints(ctx.scope)),
  create: admin
    .input(createWebhookEndpointInput)
    .mutation(({ ctx, input }) => webhooks.createWebhookEndpoint(ctx.scope, input)),
  update: admin
    .input(updateWebhookEndpointInput)
    .mutation(({ ctx, input }) => webhooks.updateWebhookEndpoint(ctx.scope, input)),
  delete: admin
    .input(webhookEndpointInput)
    .mutation(({ ctx, input }) => webhooks.deleteWebhookEndpoint(ctx.scope, input)),
  rotateSecret: admin
    .input(webhookEndpointInput)
    .mutation(({ ctx, input }) => webhooks.rotateWebhookSecret(ctx.scope, input)),
  sendTest: admin
    .input(webhookEndpointInput)
    .mutation(({ ctx, input }) => webhooks.sendWebhookTest(ctx.scope, input)),
  deliveries: admin
    .input(listWebhookDeliveriesInput)
    .query(({ ctx, input }) => webhooks.listWebhookDeliveries(ctx.scope, input)),
  replay: admin
    .input(webhookDeliveryInput)
    .mutation(({ ctx, input }) => webhooks.replayWebhookDelivery(ctx.scope, input)),
});
