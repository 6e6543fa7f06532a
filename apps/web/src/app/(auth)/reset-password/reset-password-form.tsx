"use client";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { Form, InputField } from "@plinth/ui/form";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const form = useContractForm("resetPasswordInput", { defaultValues: { token, password: "" } });
  const reset = trpc.account.resetPassword.useMutation({
    onSuccess: () => router.push("/sign-in?reset=done"),
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Form {...form}>
      <form
        className="grid gap-4"
        noValidate
        onSubmit={(event) => void form.handleSubmit((values) => reset.mutate(values))(event)}
      >
        <InputField
          control={form.control}
          name="password"
          label="New password"
          type="password"
          autoComplete="new-password"
          description="At least 10 characters. Every device will be signed out."
        />
        <Button type="submit" loading={reset.isPending || reset.isSuccess}>
          Set new password
        </Button>
      </form>
    </Form>
  );
}
