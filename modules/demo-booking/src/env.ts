// The demo-booking module's configuration (@t3-oss/env-core; read by the web app, which serves
// the /demo page, its form's procedure and the Calendly webhook). Nothing set: the built-in
// form, its emails to DEMO_BOOKING_NOTIFY_EMAIL's default, and no webhook (503).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

/** The Calendly origin the /demo page frames (its CSP frame-src names exactly this one). */
export const CALENDLY_ORIGIN = "https://calendly.com";

export function parseDemoBookingEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** The public scheduling link (https://calendly.com/<you>/<event>): /demo embeds it.
       *  Unset: /demo shows the built-in form instead. */
      CALENDLY_URL: z
        .url({ protocol: /^https$/ })
        .refine((url) => new URL(url).origin === CALENDLY_ORIGIN, {
          message: `a Calendly scheduling link on ${CALENDLY_ORIGIN}`,
        })
        .optional(),
      /** The webhook subscription's signing key (Calendly's API answers it once, on creating
       *  the subscription). Unset: POST /api/webhooks/calendly answers 503. A secret. */
      CALENDLY_WEBHOOK_SIGNING_KEY: z.string().trim().min(16).optional(),
      /** The operator inbox that hears of each request and booking. No operator address is
       *  configured anywhere else (EMAIL_FROM is a no-reply sender): set it in production. */
      DEMO_BOOKING_NOTIFY_EMAIL: z.email().default("sales@plinth.local"),
    },
    ...envOptions("demo-booking", source),
  });
}

export type DemoBookingEnv = ReturnType<typeof parseDemoBookingEnv>;

export const demoBookingEnv = once(() => parseDemoBookingEnv());
