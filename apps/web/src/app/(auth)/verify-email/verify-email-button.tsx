"use client";
import Link from "next/link";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { trpc } from "~/trpc/react.tsx";

export function VerifyEmailButton({ token }: { token: string }) {
  const verify = trpc.account.verifyEmail.useMutation();
  if (verify.isSuccess) {
    return (
      <div className="grid gap-4">
        <Banner tone="success">{verify.data.email} is verified.</Banner>
        <Button asChild>
          <Link href="/sign-up/checkout">Continue</Link>
        </Button>
      </div>
    );
  }
  return (
    <div className="grid gap-4">
      {verify.error ? (
        <Banner tone="danger">{verify.error.message}</Banner>
      ) : (
        <p className="text-sm text-muted-foreground">Confirm that this email address is yours.</p>
      )}
      <Button loading={verify.isPending} onClick={() => verify.mutate({ token })}>
        Verify email
      </Button>
    </div>
  );
}
