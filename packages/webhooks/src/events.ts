// The webhook event types that exist: core declares `webhook.test`, modules declare theirs in
// defineModule's `webhookEvents` (packages/platform registers each declaration here when it
// is made). emitWebhookEvent refuses a type nobody declared; the UI offers the product's
// (core's and enabled modules') types, from the product runtime.

/** The event the "send test event" action delivers (declared by core). */
export const WEBHOOK_TEST_EVENT = "webhook.test";

/** Dotted lowercase words: `test_run.failed`, `webhook.test`. */
export const WEBHOOK_EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const declared = new Map<string, string>([[WEBHOOK_TEST_EVENT, "core"]]);

/** Records the event types a module declares (throws on a malformed or taken type). */
export function declareWebhookEventTypes(owner: string, types: readonly string[]): void {
  for (const type of types) {
    if (!WEBHOOK_EVENT_TYPE.test(type) || type.length > 100) {
      throw new Error(`Webhook event type "${type}" of ${owner}: use dotted lowercase words`);
    }
    const current = declared.get(type);
    if (current && current !== owner) {
      throw new Error(`Webhook event type "${type}" is declared by both ${current} and ${owner}`);
    }
    declared.set(type, owner);
  }
}

export function isDeclaredWebhookEventType(type: string): boolean {
  return declared.has(type);
}
