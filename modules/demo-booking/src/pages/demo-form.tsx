"use client";
// The built-in booking form (no Calendly account): name, email, company and a message,
// validated with requestDemoInput before sending; refusals (a field, the rate limit) are shown
// by reportError. After sending, the page says what happens next.
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import {
  Form,
  FormControl,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  InputField,
} from "@plinth/ui/form";
import { Textarea } from "@plinth/ui/textarea";
import { reportError } from "@plinth/web-kit/feedback";
import { api, useContractForm } from "./api.ts";

export function DemoForm() {
  const [sent, setSent] = useState<string | null>(null);
  const form = useContractForm("requestDemoInput", {
    defaultValues: { name: "", email: "", company: "", message: "" },
  });
  const request = api.demoBooking.request.useMutation({
    onSuccess: (_booking, values) => setSent(values.email),
    onError: (error) => reportError(error, { form }),
  });
  if (sent) {
    return (
      <p role="status" className="text-sm">
        Thanks — we received your request and sent a confirmation to <strong>{sent}</strong>. We
        will reply within one business day to find a time.
      </p>
    );
  }
  return (
    <Form {...form}>
      <form
        className="grid gap-4"
        noValidate
        aria-label="Book a demo"
        onSubmit={(event) => void form.handleSubmit((values) => request.mutate(values))(event)}
      >
        <InputField
          control={form.control}
          name="name"
          label="Name"
          autoComplete="name"
          maxLength={120}
        />
        <InputField
          control={form.control}
          name="email"
          label="Work email"
          type="email"
          autoComplete="email"
          maxLength={254}
        />
        <InputField
          control={form.control}
          name="company"
          label="Company (optional)"
          autoComplete="organization"
          maxLength={120}
        />
        <FormField
          control={form.control}
          name="message"
          render={({ field }) => (
            <FormItem>
              <FormLabel>What would you like to see? (optional)</FormLabel>
              <FormControl>
                <Textarea {...field} value={field.value ?? ""} maxLength={2000} rows={4} />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <Button type="submit" loading={request.isPending}>
          Request a demo
        </Button>
      </form>
    </Form>
  );
}
