"use server";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { api } from "~/server/trpc.ts";
import { checkoutFormSchema } from "./params.ts";

/** Test mode: activates the plan through the billing router (admin check, audit) and returns. */
export async function completeTestCheckoutAction(formData: FormData): Promise<void> {
  const input = checkoutFormSchema.safeParse(Object.fromEntries(formData));
  // Not what the page's form sends: nothing is activated, back to the start.
  if (!input.success) redirect("/");
  const caller = await api();
  await caller.billing.completeTestCheckout({
    organizationId: input.data.organizationId,
    planKey: input.data.planKey,
    interval: input.data.interval,
  });
  redirect(safeRedirectPath(input.data.returnTo));
}
