"use client";
import { useActionState } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { signInAction, type SignInState } from "~/app/actions.ts";

const initial: SignInState = { error: null, email: "" };

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(signInAction, initial);
  return (
    <form id="password-sign-in" action={action} className="stack" noValidate>
      {state.error ? <Banner tone="danger">{state.error}</Banner> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Input
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.email}
      />
      <Input
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      <Button type="submit" loading={pending}>
        Sign in
      </Button>
    </form>
  );
}
