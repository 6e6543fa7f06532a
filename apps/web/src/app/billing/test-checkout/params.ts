// What the test-mode checkout page and its form accept: the organization id is checked for its
// format before any query, the return path by safeRedirectPath (@plinth/auth/redirect).
import { PLAN_KEYS } from "@plinth/billing";
import { MAX_REDIRECT_PATH_LENGTH } from "@plinth/auth/redirect";
import { organizationId, text } from "@plinth/api/inputs";
import { z } from "zod";

const plan = z.enum(PLAN_KEYS);
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
