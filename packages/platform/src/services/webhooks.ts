// Outbound webhook management, for the organization's owners and admins (the router checks the
// role): endpoints (create and rotate answer the signing secret once — it is kept in the vault
// and never shown again), the delivery log (paginated, by status), manual replay and a test
// event. Every change is audited in its transaction. Delivery itself: @plinth/webhooks.
import { recordAudit, changedFields, snapshot } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import type { Prisma, TransactionClient } from "@plinth/db";
import {
  WEBHOOK_TEST_EVENT,
  deleteSigningSecret,
  emitWebhookEvent,
  issueSigningSecret,
  replayDelivery,
} from "@plinth/webhooks";
import type { OrgScope } from "../scope.ts";

/** What an endpoint shows: never its secret. */
const endpointView = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  rotatedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.WebhookEndpointSelect;

const deliveryView = {
  id: true,
  endpointId: true,
  eventId: true,
  status: true,
  attempts: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  responseStatus: true,
  responseBody: true,
  durationMs: true,
  error: true,
  replayOfId: true,
  createdAt: true,
  endpoint: { select: { url: true } },
  event: { select: { type: true } },
} as const satisfies Prisma.WebhookDeliverySelect;

type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliveryView }>;

const STATUS = { PENDING: "pending", SUCCEEDED: "succeeded", FAILED: "failed" } as const;
const STATUS_IN = { pending: "PENDING", succeeded: "SUCCEEDED", failed: "FAILED" } as const;

function delivery(row: DeliveryRow) {
  return {
    id: row.id,
    endpointId: row.endpointId,
    endpointUrl: row.endpoint.url,
    eventId: row.eventId,
    eventType: row.event.type,
    status: STATUS[row.status],
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.nextAttemptAt,
    responseStatus: row.responseStatus,
    responseBody: row.responseBody,
    durationMs: row.durationMs,
    error: row.error,
    replayOfId: row.replayOfId,
    createdAt: row.createdAt,
  };
}

/** The event types an endpoint may subscribe to (core's and the enabled modules'). */
export function webhookEventTypes(scope: OrgScope) {
  return Object.entries(scope.product.webhookEvents).map(([type, declared]) => ({
    type,
    description: declared.description,
    module: declared.module,
  }));
}

function requireKnownTypes(scope: OrgScope, types: readonly string[]) {
  const unknown = types.find((type) => !(type in scope.product.webhookEvents));
  if (unknown) {
    throw new AppError({ code: "INVALID_STATE", detail: `Unknown event type ${unknown}` });
  }
  return [...new Set(types)].sort();
}

export async function listWebhookEndpoints(scope: OrgScope) {
  return scope.db.client.webhookEndpoint.findMany({
    where: { organizationId: scope.organization.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: endpointView,
  });
}

async function findEndpoint(tx: TransactionClient, scope: OrgScope, endpointId: string) {
  const row = await tx.webhookEndpoint.findFirst({
    where: { id: endpointId, organizationId: scope.organization.id },
    select: endpointView,
  });
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

export async function createWebhookEndpoint(
  scope: OrgScope,
  input: { url: string; description: string; eventTypes: readonly string[] },
) {
  const eventTypes = requireKnownTypes(scope, input.eventTypes);
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        organizationId,
        url: input.url,
        description: input.description,
        eventTypes,
        rotatedAt: scope.clock.now(),
        createdById: actorUserId(scope.actor),
      },
      select: endpointView,
    });
    const secret = await issueSigningSecret(tx, { organizationId, id: endpoint.id });
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      changes: snapshot({ url: input.url, description: input.description, eventTypes }, "to"),
    });
    // The signing secret, this once: it is kept encrypted and cannot be shown again.
    return { endpoint, signingSecret: secret };
  });
}

export async function updateWebhookEndpoint(
  scope: OrgScope,
  input: {
    endpointId: string;
    url?: string | undefined;
    description?: string | undefined;
    eventTypes?: readonly string[] | undefined;
    enabled?: boolean | undefined;
  },
) {
  const eventTypes = input.eventTypes ? requireKnownTypes(scope, input.eventTypes) : undefined;
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findEndpoint(tx, scope, input.endpointId);
    const after = {
      url: input.url,
      description: input.description,
      eventTypes,
      enabled: input.enabled,
    };
    const changes = changedFields(before, after);
    if (Object.keys(changes).length === 0) return before;
    const endpoint = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        ...(after.url === undefined ? {} : { url: after.url }),
        ...(after.description === undefined ? {} : { description: after.description }),
        ...(eventTypes === undefined ? {} : { eventTypes }),
        // Turned on again by a person: the system's reason for turning it off is gone.
        ...(after.enabled === undefined
          ? {}
          : { enabled: after.enabled, ...(after.enabled ? { disabledReason: null } : {}) }),
      },
      select: endpointView,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_endpoint.updated",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      changes,
    });
    return endpoint;
  });
}

export async function deleteWebhookEndpoint(scope: OrgScope, input: { endpointId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, scope, input.endpointId);
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await deleteSigningSecret(tx, { organizationId, id: endpoint.id });
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      changes: snapshot({ url: endpoint.url, eventTypes: endpoint.eventTypes }, "from"),
    });
    return { id: endpoint.id };
  });
}

/** A new signing secret (the old one stops signing now); answered this once. */
export async function rotateWebhookSecret(scope: OrgScope, input: { endpointId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const found = await findEndpoint(tx, scope, input.endpointId);
    const secret = await issueSigningSecret(tx, { organizationId, id: found.id });
    const endpoint = await tx.webhookEndpoint.update({
      where: { id: found.id },
      data: { rotatedAt: scope.clock.now() },
      select: endpointView,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_endpoint.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: found.id,
      changes: snapshot({ rotatedAt: endpoint.rotatedAt }, "to"),
    });
    return { endpoint, signingSecret: secret };
  });
}

export async function listWebhookDeliveries(
  scope: OrgScope,
  input: {
    endpointId?: string | null | undefined;
    status?: "pending" | "succeeded" | "failed" | null | undefined;
    limit: number;
    cursor?: string | null | undefined;
  },
) {
  if (input.endpointId) {
    const endpoint = await scope.db.client.webhookEndpoint.findFirst({
      where: { id: input.endpointId, organizationId: scope.organization.id },
      select: { id: true },
    });
    if (!endpoint) throw notFound("Webhook endpoint");
  }
  const rows = await scope.db.client.webhookDelivery.findMany({
    where: {
      organizationId: scope.organization.id,
      ...(input.endpointId ? { endpointId: input.endpointId } : {}),
      ...(input.status ? { status: STATUS_IN[input.status] } : {}),
    },
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: deliveryView,
  });
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(delivery),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Sends the delivery's event to its endpoint again, as a new delivery. */
export async function replayWebhookDelivery(scope: OrgScope, input: { deliveryId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const original = await tx.webhookDelivery.findFirst({
      where: { id: input.deliveryId, organizationId },
      select: { id: true, organizationId: true, endpointId: true, eventId: true },
    });
    if (!original) throw notFound("Webhook delivery");
    const id = await replayDelivery(tx, original);
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_delivery.replayed",
      targetType: "webhook_delivery",
      targetId: original.id,
      changes: snapshot({ replay: id }, "to"),
    });
    return delivery(
      await tx.webhookDelivery.findUniqueOrThrow({ where: { id }, select: deliveryView }),
    );
  });
}

/** A `webhook.test` event to this endpoint only (whatever it subscribes to). */
export async function sendWebhookTest(scope: OrgScope, input: { endpointId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, scope, input.endpointId);
    if (!endpoint.enabled) {
      throw new AppError({ code: "INVALID_STATE", detail: "Enable the endpoint first" });
    }
    const emitted = await emitWebhookEvent(
      tx,
      {
        organizationId,
        type: WEBHOOK_TEST_EVENT,
        data: {
          message: "A test event from Plinth",
          organization: { id: organizationId, slug: scope.organization.slug },
          endpointId: endpoint.id,
        },
      },
      { endpointIds: [endpoint.id] },
    );
    const id = emitted.deliveryIds[0];
    if (!id) throw notFound("Webhook endpoint");
    await recordAudit(tx, scope, {
      organizationId,
      action: "webhook_endpoint.test_sent",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      changes: snapshot({ delivery: id }, "to"),
    });
    return delivery(
      await tx.webhookDelivery.findUniqueOrThrow({ where: { id }, select: deliveryView }),
    );
  });
}
