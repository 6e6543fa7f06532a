// What a payment provider's failure means for the caller of a billing operation. The SDKs
// reject with their own types (Stripe: StripeError subclasses; Razorpay: a plain
// `{ statusCode, error }` object); the platform turns the verdict into a typed refusal so a
// provider's 4xx or outage never reaches a user as a 500.
import Stripe from "stripe";
import { z } from "zod";

export type ProviderFailure =
  /** The provider refused the request (state, card, validation): the user can act on it. */
  | { kind: "refused"; message: string }
  /** The provider could not be reached or failed itself (or our credentials): retry later. */
  | { kind: "unavailable"; provider: "stripe" | "razorpay" };

/** How the Razorpay SDK rejects: `{ statusCode, error: { code, description } }`, not an Error. */
export const razorpayRejection = z.object({
  statusCode: z.union([z.number(), z.string()]),
  error: z
    .object({ code: z.string().optional(), description: z.string().optional() })
    .loose()
    .nullish(),
});

/** The verdict on an error thrown by a provider SDK; null when it is not a provider's. */
export function classifyProviderError(error: unknown): ProviderFailure | null {
  if (error instanceof Stripe.errors.StripeError) {
    const refused =
      error instanceof Stripe.errors.StripeCardError ||
      error instanceof Stripe.errors.StripeInvalidRequestError ||
      error instanceof Stripe.errors.StripeIdempotencyError;
    return refused
      ? { kind: "refused", message: error.userMessage ?? error.message }
      : { kind: "unavailable", provider: "stripe" };
  }
  const razorpay = razorpayRejection.safeParse(error);
  if (razorpay.success) {
    const status = Number(razorpay.data.statusCode);
    const detail = razorpay.data.error;
    return status >= 400 && status < 500 && status !== 401 && status !== 429
      ? { kind: "refused", message: detail?.description ?? detail?.code ?? "Refused by Razorpay" }
      : { kind: "unavailable", provider: "razorpay" };
  }
  return null;
}
