"use client";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { Form, InputField } from "@plinth/ui/form";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export function RenameOrganization({
  organizationId,
  name,
}: {
  organizationId: string;
  name: string;
}) {
  const router = useRouter();
  const form = useContractForm("updateOrganizationInput", { defaultValues: { name } });
  const update = trpc.organization.update.useMutation({
    onSuccess: (organization) => {
      form.reset({ name: organization.name });
      toast.success("Organization renamed");
      router.refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Form {...form}>
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-start"
        noValidate
        onSubmit={(event) =>
          void form.handleSubmit((values) => update.mutate({ organizationId, ...values }))(event)
        }
      >
        <InputField
          control={form.control}
          name="name"
          label="Name"
          maxLength={80}
          className="flex-1 sm:max-w-md"
        />
        <Button
          type="submit"
          loading={update.isPending}
          disabled={!form.formState.isDirty}
          className="sm:mt-[1.375rem]"
        >
          Save
        </Button>
      </form>
    </Form>
  );
}
