// Signing by the Standard Webhooks scheme (standardwebhooks.com), with its reference library:
// `webhook-id` (the event id, the same on every attempt), `webhook-timestamp` (Unix seconds)
// and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. The secret
// is `whsec_` + base64 of 32 random bytes; receivers verify with `new Webhook(secret).verify`.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

export const SIGNING_SECRET_PREFIX = "whsec_";

export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signWebhook(
  secret: string,
  message: { id: string; timestamp: Date; body: string },
): SignedHeaders {
  const signature = new Webhook(secret).sign(message.id, message.timestamp, message.body);
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

/** A receiver's check (tests and docs): throws WebhookVerificationError when it does not hold. */
export function verifyWebhook(secret: string, body: string, headers: Record<string, string>) {
  return new Webhook(secret).verify(body, headers);
}
