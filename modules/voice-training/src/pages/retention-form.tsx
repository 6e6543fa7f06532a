"use client";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
} from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { api, useContractForm } from "./api.ts";

/** An admin's "keep recordings N days"; an empty field is the default (null). */
export function RetentionForm({
  organizationId,
  days,
  defaultDays,
}: {
  organizationId: string;
  /** The company's own setting, or null when it uses the default. */
  days: number | null;
  defaultDays: number;
}) {
  const router = useRouter();
  const form = useContractForm("practiceSettingsInput", {
    defaultValues: { recordingRetentionDays: days },
  });
  const update = api.practice.updateSettings.useMutation({
    onSuccess: (settings) => {
      form.reset({
        recordingRetentionDays: settings.usesDefault ? null : settings.recordingRetentionDays,
      });
      toast.success(`Recordings are now kept ${settings.recordingRetentionDays} days`);
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
        <FormField
          control={form.control}
          name="recordingRetentionDays"
          render={({ field }) => (
            <FormItem className="sm:max-w-xs">
              <FormLabel>Keep recordings (days)</FormLabel>
              <FormControl>
                <Input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={3650}
                  step={1}
                  placeholder={String(defaultDays)}
                  name={field.name}
                  ref={field.ref}
                  onBlur={field.onBlur}
                  value={field.value ?? ""}
                  onChange={(e) =>
                    field.onChange(e.target.value === "" ? null : Number(e.target.value))
                  }
                />
              </FormControl>
              <FormDescription>
                1 to 3650 days. Leave empty for the default ({defaultDays} days).
              </FormDescription>
              <FormMessage />
            </FormItem>
          )}
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
