"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { useWatch } from "react-hook-form";
import { TERMS_CONSENT_VERSION } from "@plinth/product/contracts";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Form, InputField } from "@plinth/ui/form";
import { RadioGroupField } from "@plinth/ui/radio-group";
import { signInAction } from "~/app/actions.ts";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export interface SignUpInvitation {
  token: string;
  email: string;
  organizationName: string;
  role: string;
}

/** A plan offered at sign-up; `paid` ones go to checkout once the account exists. */
export interface SignUpPlanOption {
  key: string;
  name: string;
  description: string;
  price: string;
  paid: boolean;
}

/** Where a paid plan's sign-up continues once signed in (the checkout step). */
const SIGN_UP_CHECKOUT = "/sign-up/checkout";

/**
 * `callbackUrl` (already a same-site path, checked again by signInAction): where to go once
 * signed in; "/" leads to the new organization. Sign-up answers the same for a registered
 * address (its owner gets an email instead), so the sign-in that follows is what tells: it
 * fails unless the password was that account's, and the form then points to the inbox.
 * `plans` (none when arriving through an invitation: no organization of one's own is made):
 * the plan choice; a paid one continues at the checkout step instead of `callbackUrl` "/".
 */
export function SignUpForm({
  callbackUrl,
  invitation,
  plans,
  initialPlan,
}: {
  callbackUrl: string;
  invitation: SignUpInvitation | null;
  plans: readonly SignUpPlanOption[];
  initialPlan: string | undefined;
}) {
  const form = useContractForm("signUpInput", {
    defaultValues: {
      name: "",
      email: invitation?.email ?? "",
      password: "",
      ...(plans.length > 0 && initialPlan ? { planKey: initialPlan } : {}),
    },
  });
  const [signInError, setSignInError] = useState<string | null>(null);
  const [signingIn, startSignIn] = useTransition();
  const signUp = trpc.account.signUp.useMutation({
    onSuccess: (_result, values) => {
      const data = new FormData();
      data.set("email", values.email);
      data.set("password", values.password);
      const paid = plans.some((plan) => plan.key === values.planKey && plan.paid);
      data.set("callbackUrl", paid && callbackUrl === "/" ? SIGN_UP_CHECKOUT : callbackUrl);
      startSignIn(async () => {
        const state = await signInAction({ error: null, email: values.email }, data);
        if (state.error)
          setSignInError(
            `We could not sign you in. Check your inbox at ${values.email}: if that address already has an account, we sent it a note on how to sign in or reset the password.`,
          );
      });
    },
    onError: (error) => reportError(error, { form }),
  });
  const email = useWatch({ control: form.control, name: "email" });
  const otherAddress =
    invitation && email.trim() !== "" && email.trim().toLowerCase() !== invitation.email;

  return (
    <Form {...form}>
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(event) =>
          void form.handleSubmit((values) => {
            setSignInError(null);
            signUp.mutate({
              ...values,
              ...(invitation ? { invitationToken: invitation.token } : {}),
            });
          })(event)
        }
      >
        {signInError ? <Banner tone="danger">{signInError}</Banner> : null}
        <InputField control={form.control} name="name" label="Name" autoComplete="name" />
        <InputField
          control={form.control}
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
        />
        {otherAddress ? (
          <Banner tone="warning">
            The invitation is for {invitation.email}. With another address you get an account of
            your own, and the invitation cannot be accepted with it.
          </Banner>
        ) : null}
        <InputField
          control={form.control}
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          description="At least 10 characters."
        />
        {plans.length > 1 ? (
          <RadioGroupField
            control={form.control}
            name="planKey"
            legend="Plan"
            options={plans.map((plan) => ({
              value: plan.key,
              label: plan.name,
              description: plan.description,
              aside: plan.price,
            }))}
            description="You can change plans later on the billing page."
          />
        ) : null}
        <p className="text-xs text-muted-foreground">
          By creating an account you accept the{" "}
          <Link className="underline underline-offset-4" href="/terms" target="_blank">
            terms of service
          </Link>{" "}
          (version {TERMS_CONSENT_VERSION}) and confirm you have read the{" "}
          <Link className="underline underline-offset-4" href="/privacy" target="_blank">
            privacy notice
          </Link>
          .
        </p>
        <Button type="submit" loading={signUp.isPending || signingIn}>
          Create account
        </Button>
      </form>
    </Form>
  );
}
