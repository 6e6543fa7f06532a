// What the test-mode checkout page and its form accept: ids are checked as cuids before any
// query; the return path is checked by safeRedirectPath (@plinth/auth/redirect).
import { PLAN_KEYS } from "@plinth/billing";
import { MAX_REDIRECT_PATH_LENGTH } from "@plinth/auth/redirect";
import { z } from "zod";
import { cuidSchema as cuid } from "~/server/ids.ts";

const plan = z.enum(PLAN_KEYS);
const interval = z.enum(["month", "year"]);
const returnTo = z.string().max(MAX_REDIRECT_PATH_LENGTH);

export const checkoutParamsSchema = z.object({
  plan,
  interval,
  organization: cuid,
  returnTo: returnTo.optional(),
});

export const checkoutFormSchema = z.object({
  organizationId: cuid,
  planKey: plan,
  interval,
  returnTo: returnTo.optional(),
});
