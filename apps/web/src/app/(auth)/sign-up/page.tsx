import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { invitationToken, urlParameter } from "@plinth/core/inputs";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { activeProduct } from "@plinth/product";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { invitationTokenOf } from "~/server/callback-url.ts";
import { appErrorFromCaller } from "~/server/errors.ts";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { SignUpForm, type SignUpInvitation, type SignUpPlanOption } from "./sign-up-form.tsx";

export const metadata: Metadata = { title: "Create an account", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Arriving from an invitation page (?callbackUrl=/invite/<token>): what the invitation says. */
async function invitationFor(callbackUrl: string): Promise<SignUpInvitation | null> {
  const token = urlParameter(invitationToken, invitationTokenOf(callbackUrl));
  if (!token) return null;
  const caller = await api();
  try {
    const preview = await caller.invitation.preview({ token });
    return {
      token,
      email: preview.email,
      organizationName: preview.organizationName,
      role: preview.role.toLowerCase(),
    };
  } catch (error) {
    if (appErrorFromCaller(error)) return null; // invalid or expired: an ordinary sign-up
    throw error;
  }
}

const money = (cents: number) =>
  new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    maximumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);

/** The plans the active product offers at sign-up (catalog.signUpPlans), trial first. */
function signUpPlanOptions(): SignUpPlanOption[] {
  const { catalog } = activeProduct();
  return catalog.signUpPlans.map((plan) => {
    const paid = plan.purchasable && plan.key !== catalog.trialPlan.key;
    const month = plan.prices.month;
    return {
      key: plan.key,
      name: plan.name,
      description: plan.description,
      paid,
      price: paid
        ? month !== undefined
          ? `${money(month)}/month`
          : "Usage-based"
        : `Free for ${catalog.trialPlan.trialDays} days`,
    };
  });
}

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const invitation = await invitationFor(callbackUrl);
  const plans = signUpPlanOptions();
  // ?plan=<key> (a pricing page's link) preselects a plan the sign-up offers.
  const initialPlan = plans.find((plan) => plan.key === params.plan)?.key ?? plans[0]?.key;
  const signInHref =
    callbackUrl === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Create your account</h1>
        {invitation ? (
          <CardDescription data-testid="sign-up-invitation">
            You were invited to join <strong>{invitation.organizationName}</strong> as{" "}
            {invitation.role}. Create your account with {invitation.email}, the invited address;
            then you come back to the invitation to accept it.
          </CardDescription>
        ) : (
          <CardDescription>
            Choose a plan. The trial starts at once with no card needed; a paid plan goes to
            checkout right after your account is created.
          </CardDescription>
        )}
      </CardHeader>
      <CardContent>
        <SignUpForm
          callbackUrl={callbackUrl}
          invitation={invitation}
          plans={invitation ? [] : plans}
          initialPlan={initialPlan}
        />
      </CardContent>
      <CardFooter className="text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link
          href={signInHref}
          className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
        >
          Sign in
        </Link>
      </CardFooter>
    </Card>
  );
}
