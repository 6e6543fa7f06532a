"use server";
import { revalidatePath } from "next/cache";
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
  // The plan shows in every page's shell (banner, badge): drop what the browser prefetched.
  revalidatePath("/", "layout");
  redirect(safeRedirectPath(input.data.returnTo));
}
