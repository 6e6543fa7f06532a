"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { PLAN_KEYS } from "@plinth/billing";
import { z } from "zod";
import { api } from "~/server/trpc.ts";
import { safeReturnPath } from "./return-path.ts";

const formSchema = z.object({
  organizationId: z.string().min(1).max(64),
  planKey: z.enum(PLAN_KEYS),
  interval: z.enum(["month", "year"]),
  returnTo: z.string().max(500),
});

/** Test mode: activates the plan through the billing router (admin check, audit) and returns. */
export async function completeTestCheckoutAction(formData: FormData): Promise<void> {
  const input = formSchema.parse(Object.fromEntries(formData));
  const caller = await api();
  await caller.billing.completeTestCheckout({
    organizationId: input.organizationId,
    planKey: input.planKey,
    interval: input.interval,
  });
  // The plan shows in every page's shell (banner, badge): drop what the browser prefetched.
  revalidatePath("/", "layout");
  redirect(safeReturnPath(input.returnTo));
}
