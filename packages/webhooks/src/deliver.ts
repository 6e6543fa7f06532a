// One attempt of one delivery (the `webhook.deliver` job, run by the worker with the system
// client): sign the event with the endpoint's secret, POST it, log the outcome on the delivery
// row. 2xx: SUCCEEDED. 410 Gone: the endpoint is disabled and the delivery FAILED. Anything
// else (other status, timeout, connection error): another attempt is scheduled by the backoff
// schedule (a new job with run_at), or FAILED after the last one. A destination the SSRF
// guard refuses fails at once (no retry).
import type { Logger } from "@plinth/core/logger";
import type { PrismaClient } from "@plinth/db";
import { enqueue, jobs } from "@plinth/jobs";
import type { Keyring } from "@plinth/vault";
import { MAX_ATTEMPTS, nextAttemptAt } from "./backoff.ts";
import { webhooksEnv } from "./env.ts";
import { DEFAULT_TIMEOUT_MS, postWebhook, type PostResult } from "./http.ts";
import { countDelivery, type DeliveryOutcome } from "./metrics.ts";
import { readSigningSecret } from "./secrets.ts";
import { signWebhook } from "./signing.ts";

export interface DeliverOptions {
  /** Default: WEBHOOKS_ALLOW_PRIVATE_NETWORKS. */
  allowPrivateNetworks?: boolean;
  timeoutMs?: number;
  now?: () => Date;
  /** For the jitter (tests pass a fixed one). */
  random?: () => number;
  keyring?: Keyring;
  log?: Logger;
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  outcome: DeliveryOutcome;
  responseStatus: number | null;
  nextAttemptAt: Date | null;
}

/** The JSON body receivers get: `{ type, timestamp, data }` (Standard Webhooks' shape). */
export function webhookBody(event: { type: string; createdAt: Date; data: unknown }): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.createdAt.toISOString(),
    data: event.data,
  });
}

function classify(result: PostResult, attempts: number): DeliveryOutcome {
  if (result.kind === "response") {
    if (result.status >= 200 && result.status < 300) return "succeeded";
    if (result.status === 410) return "disabled";
  } else if (result.refused) {
    return "refused";
  }
  return attempts >= MAX_ATTEMPTS ? "failed" : "retrying";
}

/**
 * Makes the next attempt of `deliveryId`; null when there is nothing to do (not found, no
 * longer PENDING, or another worker claimed the attempt first).
 */
export async function deliverWebhook(
  prisma: PrismaClient,
  deliveryId: string,
  options: DeliverOptions = {},
): Promise<DeliveryAttempt | null> {
  const now = options.now ?? (() => new Date());
  const delivery = await prisma.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      organizationId: true,
      status: true,
      attempts: true,
      endpoint: { select: { id: true, url: true, enabled: true } },
      event: { select: { id: true, type: true, data: true, createdAt: true } },
    },
  });
  if (!delivery || delivery.status !== "PENDING") return null;
  const attempt = delivery.attempts + 1;
  const startedAt = now();
  const claimed = await prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, status: "PENDING", attempts: delivery.attempts },
    data: { attempts: attempt, lastAttemptAt: startedAt, nextAttemptAt: null },
  });
  if (claimed.count === 0) return null;

  const { endpoint, event } = delivery;
  const finish = async (
    outcome: DeliveryOutcome,
    fields: {
      responseStatus?: number | null;
      responseBody?: string | null;
      durationMs?: number | null;
      error?: string | null;
    },
  ): Promise<DeliveryAttempt> => {
    const retryAt = outcome === "retrying" ? nextAttemptAt(attempt, now(), options.random) : null;
    await prisma.$transaction(async (tx) => {
      await tx.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          status: outcome === "succeeded" ? "SUCCEEDED" : retryAt ? "PENDING" : "FAILED",
          nextAttemptAt: retryAt,
          responseStatus: fields.responseStatus ?? null,
          responseBody: fields.responseBody ?? null,
          durationMs: fields.durationMs ?? null,
          error: fields.error ?? null,
        },
      });
      if (outcome === "disabled") {
        await tx.webhookEndpoint.update({
          where: { id: endpoint.id },
          data: { enabled: false, disabledReason: "The endpoint answered 410 Gone" },
        });
      }
      if (retryAt) await enqueue(tx, jobs.webhookDeliver, { deliveryId }, { runAt: retryAt });
    });
    countDelivery(outcome === "retrying" && !retryAt ? "failed" : outcome);
    options.log?.info(
      { deliveryId, endpointId: endpoint.id, attempt, outcome, status: fields.responseStatus },
      "webhook delivery attempt",
    );
    return {
      deliveryId,
      attempt,
      outcome,
      responseStatus: fields.responseStatus ?? null,
      nextAttemptAt: retryAt,
    };
  };

  if (!endpoint.enabled) return finish("failed", { error: "The endpoint is disabled" });
  let secret: string | null;
  try {
    secret = await readSigningSecret(
      prisma,
      { organizationId: delivery.organizationId, id: endpoint.id },
      options.keyring,
    );
  } catch (error) {
    // A vault refusal (key unavailable, decryption failed) will not heal by retrying the job.
    options.log?.error({ err: error, deliveryId }, "webhook signing secret unreadable");
    return finish("failed", { error: "The signing secret cannot be read" });
  }
  if (!secret) return finish("failed", { error: "The endpoint has no signing secret" });

  const body = webhookBody(event);
  const headers = signWebhook(secret, { id: event.id, timestamp: startedAt, body });
  const result = await postWebhook({
    url: endpoint.url,
    headers: { ...headers },
    body,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    allowPrivateNetworks:
      options.allowPrivateNetworks ?? webhooksEnv().WEBHOOKS_ALLOW_PRIVATE_NETWORKS,
  });
  const outcome = classify(result, attempt);
  return result.kind === "response"
    ? finish(outcome, {
        responseStatus: result.status,
        responseBody: result.body,
        durationMs: result.durationMs,
        error: outcome === "succeeded" ? null : `The endpoint answered ${result.status}`,
      })
    : finish(outcome, { durationMs: result.durationMs, error: result.error });
}
