// POST /api/webhooks/razorpay: Razorpay's deliveries, verified by X-Razorpay-Signature over the
// raw body (outside the CSRF/same-origin checks by design, like the Stripe route), stored once
// in the webhook inbox and processed. The logic lives in @plinth/billing, tested there.
import { billingRuntimeFromEnv } from "@plinth/billing/stripe/client";
import { createRazorpayWebhookHandler } from "@plinth/billing/razorpay/webhook-route";
import { rootLogger } from "@plinth/core/root-logger";
import { systemClient } from "@plinth/db";
import { activeProduct } from "@plinth/product";
import { env } from "~/env.ts";
import { db } from "~/server/db.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const POST = createRazorpayWebhookHandler(() => {
  const razorpay = billingRuntimeFromEnv().razorpay;
  return {
    deps: razorpay
      ? {
          // The inbox and billing rows belong to no request tenant: the privileged path writes them.
          db: {
            system: systemClient(db(), "razorpay webhook: the inbox and the subscription it names"),
          },
          razorpay,
          catalog: activeProduct().catalog,
          log: (line) => rootLogger().warn({ route: "razorpay-webhook" }, line),
        }
      : null,
    secret: env().RAZORPAY_WEBHOOK_SECRET,
  };
});
