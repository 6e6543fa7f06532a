"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, FieldErrors, Input } from "@plinth/ui";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf } from "~/trpc/errors.ts";

export function CreateOrganization() {
  const router = useRouter();
  const [name, setName] = useState("");
  const create = trpc.organization.create.useMutation({
    onSuccess: (organization) => router.push(`/o/${organization.slug}`),
  });
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name });
      }}
    >
      <Input
        label="Organization name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        errors={fieldErrorsOf(create.error).name}
      />
      {create.error && !fieldErrorsOf(create.error).name ? (
        <FieldErrors errors={[create.error.message]} />
      ) : null}
      <Button type="submit" loading={create.isPending}>
        Create organization
      </Button>
    </form>
  );
}
