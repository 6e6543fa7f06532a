"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf, upgradeRefusalOf } from "~/trpc/errors.ts";

export function RenameOrganization({
  organizationId,
  name: initialName,
}: {
  organizationId: string;
  name: string;
}) {
  const router = useRouter();
  const [name, setName] = useState(initialName);
  const [saved, setSaved] = useState(false);
  const update = trpc.organization.update.useMutation({
    onSuccess: () => {
      setSaved(true);
      router.refresh();
    },
  });
  const fieldErrors = fieldErrorsOf(update.error);
  const otherError = update.error && !fieldErrors.name ? update.error.message : null;
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        update.mutate({ organizationId, name });
      }}
    >
      <Input
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={fieldErrors.name}
        maxLength={80}
      />
      <Button type="submit" loading={update.isPending}>
        Save
      </Button>
      {saved ? <span className="muted">Saved.</span> : null}
      {otherError ? (
        <Banner tone={upgradeRefusalOf(update.error) ? "warning" : "danger"}>{otherError}</Banner>
      ) : null}
    </form>
  );
}
