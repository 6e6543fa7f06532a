// POST /api/webhooks/calendly: Calendly's deliveries (invitee.created, invitee.canceled).
// Verified by Calendly-Webhook-Signature over the raw body (outside the CSRF/same-origin checks
// by design, like the Stripe route), stored once in the calendly_events inbox with the booking.
// The logic lives in @plinth/demo-booking (createCalendlyWebhookHandler), tested there.
import { rootLogger } from "@plinth/core/root-logger";
import { systemClient } from "@plinth/db";
import { createCalendlyWebhookHandler } from "@plinth/demo-booking/calendly-webhook";
import { demoBookingEnv } from "@plinth/demo-booking/env";
import { activeProduct } from "@plinth/product";
import { db } from "~/server/db.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = createCalendlyWebhookHandler(() => ({
  // Demo bookings belong to no tenant (RLS on, no policy): only the privileged path writes them.
  db: systemClient(db(), "calendly webhook intake: the inbox and the booking it names"),
  key: demoBookingEnv().CALENDLY_WEBHOOK_SIGNING_KEY,
  log: (line) => rootLogger().warn({ route: "calendly-webhook" }, line),
}));

export async function POST(request: Request): Promise<Response> {
  if (!activeProduct().isEnabled("demo-booking")) return new Response(null, { status: 404 });
  return handle(request);
}
