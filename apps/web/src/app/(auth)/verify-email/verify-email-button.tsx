"use client";
import Link from "next/link";
import { Banner, Button } from "@plinth/ui";
import { trpc } from "~/trpc/react.tsx";

export function VerifyEmailButton({ token }: { token: string }) {
  const verify = trpc.account.verifyEmail.useMutation();
  if (verify.isSuccess) {
    return (
      <div className="stack">
        <Banner tone="success">{verify.data.email} is verified.</Banner>
        <Link href="/" className="ui-button ui-button--primary">
          Continue
        </Link>
      </div>
    );
  }
  return (
    <div className="stack">
      {verify.error ? (
        <Banner tone="danger">{verify.error.message}</Banner>
      ) : (
        <p className="muted">Confirm that this email address is yours.</p>
      )}
      <Button type="button" loading={verify.isPending} onClick={() => verify.mutate({ token })}>
        Verify email
      </Button>
    </div>
  );
}
