"use client";
import { useActionState } from "react";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Field } from "@plinth/ui/field";
import { Input } from "@plinth/ui/input";
import { magicLinkAction, type MagicLinkState } from "../auth-actions.ts";

const initial: MagicLinkState = { sent: false, error: null, email: "" };

export function MagicLinkForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(magicLinkAction, initial);
  return (
    <form action={action} className="grid gap-4" noValidate>
      {state.sent ? (
        <Banner tone="success">
          If an account exists for {state.email}, a sign-in link is on its way. It works once, for
          15 minutes.
        </Banner>
      ) : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field id="field-magic-email" label="Email for the link" errors={state.error}>
        <Input name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      </Field>
      <Button type="submit" variant="secondary" loading={pending}>
        Email me a link
      </Button>
    </form>
  );
}
