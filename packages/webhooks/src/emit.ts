// The outbox: emitWebhookEvent writes the event, one PENDING delivery per enabled endpoint of
// the organization subscribed to its type, and one `webhook.deliver` job per delivery — all
// through the caller's transaction, so the event exists if and only if the change that caused
// it commits. The worker sends them (deliver.ts).
import type { TransactionClient } from "@plinth/db";
import { enqueue, jobs } from "@plinth/jobs";
import { z } from "zod";
import { isDeclaredWebhookEventType } from "./events.ts";

/** Serialized event data may be this large (characters of JSON). */
export const MAX_EVENT_DATA = 256 * 1024;

const emitInput = z.object({
  organizationId: z.string().min(1).max(191),
  type: z.string().min(1).max(100),
  data: z.record(z.string(), z.json()),
});

export interface EmitWebhookEventInput {
  organizationId: string;
  /** A declared type (core's `webhook.test`, a module's `webhookEvents` key). */
  type: string;
  /** The event's payload: a JSON object (receivers see it as `data`). */
  data: Record<string, unknown>;
}

export interface EmittedWebhookEvent {
  /** null when no endpoint receives the type (nothing is stored). */
  eventId: string | null;
  deliveryIds: string[];
}

export class UnknownWebhookEventError extends Error {
  override readonly name = "UnknownWebhookEventError";
  constructor(readonly type: string) {
    super(`Webhook event type "${type}" is not declared by core or any module (webhookEvents)`);
  }
}

/**
 * Records a webhook event in `tx` (the transaction of the change it announces). Throws
 * UnknownWebhookEventError for an undeclared type and a ZodError for data that is not JSON.
 * `endpointIds` (core's "send test event", replays) targets those endpoints of the
 * organization instead of the subscribed ones.
 */
export async function emitWebhookEvent(
  tx: TransactionClient,
  input: EmitWebhookEventInput,
  options: { endpointIds?: readonly string[] } = {},
): Promise<EmittedWebhookEvent> {
  const { organizationId, type, data } = emitInput.parse(input);
  if (!isDeclaredWebhookEventType(type)) throw new UnknownWebhookEventError(type);
  if (JSON.stringify(data).length > MAX_EVENT_DATA) {
    throw new Error(`Webhook event data of ${type} is over ${MAX_EVENT_DATA} characters`);
  }
  const endpoints = await tx.webhookEndpoint.findMany({
    where: options.endpointIds
      ? { organizationId, id: { in: [...options.endpointIds] } }
      : { organizationId, enabled: true, eventTypes: { has: type } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  if (endpoints.length === 0) return { eventId: null, deliveryIds: [] };
  const event = await tx.webhookEvent.create({
    data: { organizationId, type, data: data },
    select: { id: true },
  });
  const deliveryIds: string[] = [];
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({
      data: { organizationId, endpointId: endpoint.id, eventId: event.id },
      select: { id: true },
    });
    await enqueue(tx, jobs.webhookDeliver, { deliveryId: delivery.id });
    deliveryIds.push(delivery.id);
  }
  return { eventId: event.id, deliveryIds };
}

/** A new PENDING delivery repeating `deliveryId` (same event, same endpoint), enqueued. */
export async function replayDelivery(
  tx: TransactionClient,
  delivery: { id: string; organizationId: string; endpointId: string; eventId: string },
): Promise<string> {
  const replay = await tx.webhookDelivery.create({
    data: {
      organizationId: delivery.organizationId,
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      replayOfId: delivery.id,
    },
    select: { id: true },
  });
  await enqueue(tx, jobs.webhookDeliver, { deliveryId: replay.id });
  return replay.id;
}
