// What the test-mode checkout page and its form accept: the organization id is checked for its
// format before any query, the return path by safeRedirectPath (@plinth/auth/redirect).
import { MAX_REDIRECT_PATH_LENGTH } from "@plinth/auth/redirect";
import { organizationId, text } from "@plinth/core/inputs";
import { activeProduct } from "@plinth/product";
import * as zm from "zod/mini";
import { z } from "zod";

/** A plan of the active product's catalog (checked when parsed, not at import). */
const plan = text(
  32,
  zm.refine((key) => activeProduct().catalog.getPlan(key) !== undefined, "Unknown plan"),
);
const interval = z.enum(["month", "year"]);
const returnTo = text(MAX_REDIRECT_PATH_LENGTH);

export const checkoutParamsSchema = z.object({
  plan,
  interval,
  organization: organizationId,
  returnTo: z.optional(returnTo),
});

export const checkoutFormSchema = z.object({
  organizationId,
  planKey: plan,
  interval,
  returnTo: z.optional(returnTo),
});
