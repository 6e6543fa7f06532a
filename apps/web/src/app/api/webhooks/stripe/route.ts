// POST /api/webhooks/stripe: Stripe's deliveries. Verified by signature over the raw body
// (never by cookies or origin: this route is outside the CSRF/same-origin checks by design —
// src/proxy.ts matches pages only), stored once in the inbox and processed by the worker.
// The logic lives in @plinth/billing (createStripeWebhookHandler), tested there.
import { createStripeWebhookHandler } from "@plinth/billing/stripe/webhook-route";
import { rootLogger } from "@plinth/core/root-logger";
import { systemClient } from "@plinth/db";
import { env } from "~/env.ts";
import { db } from "~/server/db.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = createStripeWebhookHandler(() => ({
  // The inbox belongs to no tenant (RLS on, no policy): only the privileged path writes it.
  db: { system: systemClient(db(), "stripe webhook intake: the inbox and its job") },
  secret: env().STRIPE_WEBHOOK_SECRET,
  log: (line) => rootLogger().warn({ route: "stripe-webhook" }, line),
}));
