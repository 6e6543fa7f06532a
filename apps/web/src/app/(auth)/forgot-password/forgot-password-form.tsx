"use client";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Form, InputField } from "@plinth/ui/form";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export function ForgotPasswordForm() {
  const form = useContractForm("requestPasswordResetInput", { defaultValues: { email: "" } });
  const request = trpc.account.requestPasswordReset.useMutation({
    onError: (error) => reportError(error, { form }),
  });
  if (request.isSuccess) {
    // The same answer for every address: it never says whether an account exists.
    return (
      <Banner tone="success">
        If an account exists for {request.variables.email}, an email with a reset link is on its
        way. The link works once, for 30 minutes.
      </Banner>
    );
  }
  return (
    <Form {...form}>
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(event) => void form.handleSubmit((values) => request.mutate(values))(event)}
      >
        <InputField
          control={form.control}
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
        />
        <Button type="submit" loading={request.isPending}>
          Send reset link
        </Button>
      </form>
    </Form>
  );
}
