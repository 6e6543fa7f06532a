"use client";
// Password sign-in: a server action (Auth.js's credentials provider), so it works before
// hydration too; one neutral message for every failure (it never says whether an account exists).
import { useActionState } from "react";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Field } from "@plinth/ui/field";
import { Input } from "@plinth/ui/input";
import { signInAction, type SignInState } from "~/app/actions.ts";

const initial: SignInState = { error: null, email: "" };

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(signInAction, initial);
  return (
    <form id="password-sign-in" action={action} className="grid gap-4" noValidate>
      {state.error ? <Banner tone="danger">{state.error}</Banner> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field id="field-email" label="Email">
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      </Field>
      <Field id="field-password" label="Password">
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" loading={pending}>
        Sign in
      </Button>
    </form>
  );
}
