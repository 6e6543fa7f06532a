"use client";
import { useState, useTransition, type ChangeEvent } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { signInAction } from "~/app/actions.ts";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf } from "~/trpc/errors.ts";

export interface SignUpInvitation {
  token: string;
  email: string;
  organizationName: string;
  role: string;
}

/**
 * `callbackUrl` (already a same-site path, checked again by signInAction): where to go once
 * signed in; "/" leads to the new organization. Sign-up answers the same for a registered
 * address (its owner gets an email instead), so the sign-in that follows is what tells: it
 * fails unless the password was that account's, and the form then points to the inbox.
 */
export function SignUpForm({
  callbackUrl,
  invitation,
}: {
  callbackUrl: string;
  invitation: SignUpInvitation | null;
}) {
  const [form, setForm] = useState({ name: "", email: invitation?.email ?? "", password: "" });
  const [signInError, setSignInError] = useState<string | null>(null);
  const [signingIn, startSignIn] = useTransition();
  const signUp = trpc.account.signUp.useMutation({
    onSuccess: () => {
      const data = new FormData();
      data.set("email", form.email);
      data.set("password", form.password);
      data.set("callbackUrl", callbackUrl);
      startSignIn(async () => {
        const state = await signInAction({ error: null, email: form.email }, data);
        if (state.error)
          setSignInError(
            `We could not sign you in. Check your inbox at ${form.email.trim()}: if that address already has an account, we sent it a note on how to sign in or reset the password.`,
          );
      });
    },
  });
  const fieldErrors = fieldErrorsOf(signUp.error);
  const otherError =
    signUp.error && Object.keys(fieldErrors).length === 0 ? signUp.error.message : null;
  const otherAddress =
    invitation && form.email.trim() !== "" && form.email.trim().toLowerCase() !== invitation.email;

  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setForm((f) => ({ ...f, [name]: event.target.value })),
    errors: fieldErrors[name],
  });

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSignInError(null);
        signUp.mutate({ ...form, ...(invitation ? { invitationToken: invitation.token } : {}) });
      }}
    >
      {otherError ? <Banner tone="danger">{otherError}</Banner> : null}
      {signInError ? <Banner tone="danger">{signInError}</Banner> : null}
      <Input label="Name" autoComplete="name" required {...field("name")} />
      <Input label="Email" type="email" autoComplete="email" required {...field("email")} />
      {otherAddress ? (
        <Banner tone="warning">
          The invitation is for {invitation.email}. With another address you get an account of your
          own, and the invitation cannot be accepted with it.
        </Banner>
      ) : null}
      <Input
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters."
        {...field("password")}
      />
      <Button type="submit" loading={signUp.isPending || signingIn}>
        Create account
      </Button>
    </form>
  );
}
