"use client";
import { useState } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf } from "~/trpc/errors.ts";

export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const request = trpc.account.requestPasswordReset.useMutation();
  const fieldErrors = fieldErrorsOf(request.error);
  const otherError =
    request.error && Object.keys(fieldErrors).length === 0 ? request.error.message : null;
  if (request.isSuccess) {
    // The same answer for every address: it never says whether an account exists.
    return (
      <Banner tone="success">
        If an account exists for {email}, an email with a reset link is on its way. The link works
        once, for 30 minutes.
      </Banner>
    );
  }
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        request.mutate({ email });
      }}
    >
      {otherError ? <Banner tone="danger">{otherError}</Banner> : null}
      <Input
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        errors={fieldErrors.email}
      />
      <Button type="submit" loading={request.isPending}>
        Send reset link
      </Button>
    </form>
  );
}
