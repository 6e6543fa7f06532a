// Outbound webhook management inputs (client-safe: zod mini only). Event types are checked
// against the product's declared ones (core's and enabled modules' webhookEvents) by the
// service.
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

export const webhookUrl = text(
  2048,
  z.trim(),
  z.url({ protocol: /^https?$/, message: "Enter an http(s) URL" }),
);
export const webhookDescription = text(500, z.trim());
export const webhookEventType = text(
  100,
  z.regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, "Not an event type"),
);
const eventTypes = z
  .array(webhookEventType)
  .check(z.minLength(1, "Choose at least one event"), z.maxLength(100));

export const createWebhookEndpointInput = z.object({
  url: webhookUrl,
  description: z._default(webhookDescription, ""),
  eventTypes,
});
export const updateWebhookEndpointInput = z.object({
  endpointId: cuid,
  url: z.optional(webhookUrl),
  description: z.optional(webhookDescription),
  eventTypes: z.optional(eventTypes),
  enabled: z.optional(z.boolean()),
});
export const webhookEndpointInput = z.object({ endpointId: cuid });
export const webhookDeliveryStatus = z.enum(["pending", "succeeded", "failed"]);
export const listWebhookDeliveriesInput = z.object({
  endpointId: z.nullish(cuid),
  status: z.nullish(webhookDeliveryStatus),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 25),
  /** The id of the last row of the previous page. */
  cursor: z.nullish(cuid),
});
export const webhookDeliveryInput = z.object({ deliveryId: cuid });
