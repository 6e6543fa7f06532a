"use client";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { Form, InputField } from "@plinth/ui/form";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export function CreateOrganization() {
  const router = useRouter();
  const form = useContractForm("createOrganizationInput", { defaultValues: { name: "" } });
  const create = trpc.organization.create.useMutation({
    onSuccess: (organization) => {
      toast.success(`${organization.name} is ready`);
      router.push(`/o/${organization.slug}`);
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Form {...form}>
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(event) => void form.handleSubmit((values) => create.mutate(values))(event)}
      >
        <InputField control={form.control} name="name" label="Organization name" autoFocus />
        <Button type="submit" loading={create.isPending || create.isSuccess}>
          Create organization
        </Button>
      </form>
    </Form>
  );
}
