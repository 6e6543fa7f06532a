// @plinth/webhooks: outbound webhooks, a core capability (docs/webhooks.md). Modules announce
// changes with emitWebhookEvent(tx, …) inside their own transaction (the outbox); the worker
// delivers them signed (Standard Webhooks), retried with backoff, behind an SSRF guard.
export { JITTER, MAX_ATTEMPTS, RETRY_DELAYS_MS, nextAttemptAt } from "./backoff.ts";
export {
  deliverWebhook,
  webhookBody,
  type DeliverOptions,
  type DeliveryAttempt,
} from "./deliver.ts";
export {
  MAX_EVENT_DATA,
  UnknownWebhookEventError,
  emitWebhookEvent,
  replayDelivery,
  type EmitWebhookEventInput,
  type EmittedWebhookEvent,
} from "./emit.ts";
export { parseWebhooksEnv, webhooksEnv, type WebhooksEnv } from "./env.ts";
export {
  WEBHOOK_EVENT_TYPE,
  WEBHOOK_TEST_EVENT,
  declareWebhookEventTypes,
  isDeclaredWebhookEventType,
} from "./events.ts";
export { DEFAULT_TIMEOUT_MS, RESPONSE_BODY_LIMIT } from "./http.ts";
export { countDelivery, webhookDeliveries, type DeliveryOutcome } from "./metrics.ts";
export {
  deleteSigningSecret,
  issueSigningSecret,
  readSigningSecret,
  signingSecretName,
} from "./secrets.ts";
export {
  SIGNING_SECRET_PREFIX,
  generateSigningSecret,
  signWebhook,
  verifyWebhook,
} from "./signing.ts";
export { DestinationRefusedError, isPublicAddress } from "@plinth/core/ssrf";
