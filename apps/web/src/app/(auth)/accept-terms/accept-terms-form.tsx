"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { TERMS_CONSENT_VERSION } from "@plinth/product/contracts";
import { Button } from "@plinth/ui/button";
import { Checkbox } from "@plinth/ui/checkbox";
import { toast } from "@plinth/ui/toaster";
import { signOutAction } from "~/app/actions.ts";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

/** Tick, accept (the consent is recorded with its version and time), then on to callbackUrl. */
export function AcceptTermsForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [checked, setChecked] = useState(false);
  const [signingOut, startSignOut] = useTransition();
  const accept = trpc.account.recordConsent.useMutation({
    onSuccess: () => {
      toast.success("Thanks: the terms are accepted");
      router.replace(callbackUrl);
    },
    onError: (error) => reportError(error),
  });
  return (
    <div className="grid gap-4">
      <div className="flex items-start gap-3">
        <Checkbox
          id="accept-terms"
          checked={checked}
          onCheckedChange={(value) => setChecked(value === true)}
        />
        <label htmlFor="accept-terms" className="text-sm leading-snug">
          I accept the{" "}
          <Link
            className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
            href="/terms"
            target="_blank"
          >
            terms of service
          </Link>{" "}
          (version {TERMS_CONSENT_VERSION}) and have read the{" "}
          <Link
            className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
            href="/privacy"
            target="_blank"
          >
            privacy notice
          </Link>
          .
        </label>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button
          disabled={!checked || accept.isSuccess}
          loading={accept.isPending}
          onClick={() =>
            accept.mutate({ kind: "TERMS", version: TERMS_CONSENT_VERSION, granted: true })
          }
        >
          Accept and continue
        </Button>
        <Button
          variant="outline"
          loading={signingOut}
          onClick={() => startSignOut(() => signOutAction())}
        >
          Sign out
        </Button>
      </div>
    </div>
  );
}
