// zod schemas for what crosses the Stripe boundary: verified webhook events and the parts of
// subscription objects Plinth mirrors. Stripe adds fields over time, so objects are loose.
import { z } from "zod";

const expandable = z.union([z.string(), z.object({ id: z.string() }).loose()]);

export const stripeEventSchema = z
  .object({
    id: z.string().min(1).max(255),
    object: z.literal("event"),
    type: z.string().min(1).max(255),
    livemode: z.boolean(),
    created: z.number().int(),
    data: z
      .object({
        object: z
          .object({
            id: z.string().optional(),
            object: z.string(),
            customer: expandable.nullish(),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();

export type StripeEventPayload = z.output<typeof stripeEventSchema>;

/** The customer an event is about, when it is about one. */
export function eventCustomerId(event: StripeEventPayload): string | null {
  const object = event.data.object;
  if (object.object === "customer") return object.id ?? null;
  const customer = object.customer;
  if (!customer) return null;
  return typeof customer === "string" ? customer : customer.id;
}

const price = z
  .object({
    id: z.string(),
    lookup_key: z.string().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    /** Flat prices: cents per unit (metered ones may have none). */
    unit_amount: z.number().int().nullish(),
    recurring: z
      .object({
        interval: z.enum(["day", "week", "month", "year"]),
        usage_type: z.enum(["licensed", "metered"]),
      })
      .loose()
      .nullable(),
  })
  .loose();

export const subscriptionStatusSchema = z.enum([
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "unpaid",
  "paused",
]);

export const stripeSubscriptionSchema = z
  .object({
    id: z.string(),
    object: z.literal("subscription"),
    customer: expandable,
    status: subscriptionStatusSchema,
    created: z.number().int(),
    /** When the subscription started (Stripe always sends it; older fixtures may not). */
    start_date: z.number().int().optional(),
    cancel_at_period_end: z.boolean(),
    cancel_at: z.number().int().nullable(),
    canceled_at: z.number().int().nullable(),
    ended_at: z.number().int().nullable(),
    trial_end: z.number().int().nullable(),
    metadata: z.record(z.string(), z.string()).nullable(),
    items: z.object({
      data: z.array(
        z
          .object({
            id: z.string(),
            price,
            /** Licensed items: units; metered items have none. */
            quantity: z.number().int().nullish(),
            current_period_start: z.number().int(),
            current_period_end: z.number().int(),
          })
          .loose(),
      ),
    }),
  })
  .loose();

export type StripeSubscriptionSnapshot = z.output<typeof stripeSubscriptionSchema>;
