"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf } from "~/trpc/errors.ts";

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const reset = trpc.account.resetPassword.useMutation({
    onSuccess: () => router.push("/sign-in?reset=done"),
  });
  const fieldErrors = fieldErrorsOf(reset.error);
  const otherError = reset.error && !fieldErrors.password ? reset.error.message : null;
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        reset.mutate({ token, password });
      }}
    >
      {otherError ? <Banner tone="danger">{otherError}</Banner> : null}
      <Input
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        hint="At least 10 characters. Every device will be signed out."
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        errors={fieldErrors.password}
      />
      <Button type="submit" loading={reset.isPending}>
        Set new password
      </Button>
    </form>
  );
}
