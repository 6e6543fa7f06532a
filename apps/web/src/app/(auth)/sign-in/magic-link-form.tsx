"use client";
import { useActionState } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { magicLinkAction, type MagicLinkState } from "../auth-actions.ts";

const initial: MagicLinkState = { sent: false, error: null, email: "" };

export function MagicLinkForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState(magicLinkAction, initial);
  return (
    <form action={action} className="stack" noValidate style={{ marginTop: "0.75rem" }}>
      {state.sent ? (
        <Banner tone="success">
          If an account exists for {state.email}, a sign-in link is on its way. It works once, for
          15 minutes.
        </Banner>
      ) : null}
      {state.error ? <Banner tone="danger">{state.error}</Banner> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Input
        label="Email for the link"
        id="field-magic-email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.email}
      />
      <Button type="submit" variant="secondary" loading={pending}>
        Email me a link
      </Button>
    </form>
  );
}
