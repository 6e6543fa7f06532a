// What the test-mode checkout page and its form accept: the organization id is checked for its
// format before any query, the return path by safeRedirectPath (@plinth/auth/redirect).
import { MAX_REDIRECT_PATH_LENGTH } from "@plinth/auth/redirect";
import { text } from "@plinth/core/inputs";
import { activeProduct } from "@plinth/product";
import { z } from "zod";
import { recordIdSchema } from "~/server/ids.ts";

/** A plan of the active product's catalog (checked when parsed, not at import). */
const plan = text(32).refine((key) => activeProduct().catalog.getPlan(key) !== undefined, {
  message: "Unknown plan",
});
const interval = z.enum(["month", "year"]);
const returnTo = z.string().max(MAX_REDIRECT_PATH_LENGTH);

export const checkoutParamsSchema = z.object({
  plan,
  interval,
  organization: recordIdSchema,
  returnTo: returnTo.optional(),
});

export const checkoutFormSchema = z.object({
  organizationId: recordIdSchema,
  planKey: plan,
  interval,
  returnTo: returnTo.optional(),
});
