// zod schemas for what crosses the Razorpay boundary: webhook events and the parts of plan,
// subscription and invoice entities Plinth reads. Razorpay adds fields, so objects are loose.
import { z } from "zod";

const notes = z
  .union([z.record(z.string(), z.union([z.string(), z.number(), z.null()])), z.array(z.never())])
  .transform((value) => (Array.isArray(value) ? {} : value))
  .nullish();

export const razorpaySubscriptionStatusSchema = z.enum([
  "created",
  "authenticated",
  "active",
  "pending",
  "halted",
  "cancelled",
  "completed",
  "expired",
  "paused",
]);
export type RazorpaySubscriptionStatus = z.output<typeof razorpaySubscriptionStatusSchema>;

export const razorpayPlanSchema = z
  .object({
    id: z.string().min(1),
    period: z.enum(["daily", "weekly", "monthly", "yearly"]),
    interval: z.number().int(),
    item: z.object({ name: z.string(), amount: z.number().int(), currency: z.string() }).loose(),
    notes,
  })
  .loose();
export type RazorpayPlanSnapshot = z.output<typeof razorpayPlanSchema>;

export const razorpayPlanListSchema = z
  .object({ count: z.number().int(), items: z.array(razorpayPlanSchema) })
  .loose();

export const razorpaySubscriptionSchema = z
  .object({
    id: z.string().min(1),
    plan_id: z.string().min(1),
    status: razorpaySubscriptionStatusSchema,
    current_start: z.number().int().nullish(),
    current_end: z.number().int().nullish(),
    ended_at: z.number().int().nullish(),
    start_at: z.number().int().nullish(),
    created_at: z.number().int(),
    short_url: z.string().nullish(),
    notes,
  })
  .loose();
export type RazorpaySubscriptionSnapshot = z.output<typeof razorpaySubscriptionSchema>;

export const razorpayInvoiceSchema = z
  .object({
    id: z.string().min(1),
    status: z.string(),
    subscription_id: z.string().nullish(),
    currency: z.string(),
    amount: z.number().int(),
    amount_paid: z.number().int().nullish(),
    amount_due: z.number().int().nullish(),
    receipt: z.string().nullish(),
    short_url: z.string().nullish(),
    billing_start: z.number().int().nullish(),
    billing_end: z.number().int().nullish(),
    issued_at: z.number().int().nullish(),
    created_at: z.number().int(),
  })
  .loose();
export type RazorpayInvoiceSnapshot = z.output<typeof razorpayInvoiceSchema>;

export const razorpayInvoiceListSchema = z
  .object({ items: z.array(razorpayInvoiceSchema) })
  .loose();

const entity = <T extends z.ZodType>(schema: T) => z.object({ entity: schema }).loose();

/** A webhook delivery's body; its id travels in the X-Razorpay-Event-Id header. */
export const razorpayEventSchema = z
  .object({
    entity: z.literal("event"),
    event: z.string().min(1).max(255),
    payload: z
      .object({
        subscription: entity(z.object({ id: z.string().min(1).max(255) }).loose()).optional(),
        payment: entity(
          z.object({ id: z.string(), invoice_id: z.string().max(255).nullish() }).loose(),
        ).optional(),
      })
      .loose(),
    created_at: z.number().int(),
  })
  .loose();
export type RazorpayEventPayload = z.output<typeof razorpayEventSchema>;

/** The event types that change a subscription row or its invoices. */
export const HANDLED_EVENTS = new Set([
  "subscription.authenticated",
  "subscription.activated",
  "subscription.charged",
  "subscription.pending",
  "subscription.halted",
  "subscription.cancelled",
  "subscription.completed",
  "subscription.paused",
  "subscription.resumed",
  "subscription.updated",
  "payment.failed",
]);
