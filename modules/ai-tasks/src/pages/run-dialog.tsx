"use client";
// Running a template: one field per declared variable (validated with the contract's
// runTaskInput, then typed as the template declares), queued as a task; the page then opens
// the task's page, where its tokens stream in.
import { Button } from "@plinth/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@plinth/ui/dialog";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
} from "@plinth/ui/form";
import { Textarea } from "@plinth/ui/textarea";
import type { UpgradeRefusal } from "@plinth/web-kit/errors";
import { reportError } from "@plinth/web-kit/feedback";
import { OfflineBadge } from "./labels.tsx";
import type { AiTasksOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

type Template = AiTasksOutputs["aiTemplate"]["list"][number];

export default function RunDialog({
  organizationId,
  template,
  onClose,
  onQueued,
  onRefusal,
}: {
  organizationId: string;
  template: Template;
  onClose: () => void;
  onQueued: (taskId: string) => void;
  onRefusal: (refusal: UpgradeRefusal) => void;
}) {
  const form = useContractForm("runTaskInput", {
    defaultValues: {
      templateId: template.id,
      input: Object.fromEntries(
        template.variables.map((v) => [v.name, v.type === "boolean" ? "false" : ""]),
      ),
    },
  });
  const run = api.aiTask.run.useMutation({
    onSuccess: (task) => {
      onClose();
      onQueued(task.id);
    },
    onError: (error) => reportError(error, { form, onRefusal }),
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Run “{template.name}”</DialogTitle>
          <DialogDescription>
            {template.provider === "offline" ? (
              <OfflineBadge />
            ) : (
              <>
                OpenAI-compatible · <span className="font-mono">{template.model}</span>
              </>
            )}
          </DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form
            aria-label="Run template"
            className="grid gap-4"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => {
                // The form holds text; the template says which variables are numbers or booleans.
                const input: Record<string, string | number | boolean> = {};
                for (const variable of template.variables) {
                  const raw = values.input[variable.name];
                  if (raw === undefined || raw === "") continue;
                  input[variable.name] =
                    variable.type === "number"
                      ? Number(raw)
                      : variable.type === "boolean"
                        ? raw === true || raw === "true"
                        : String(raw);
                }
                run.mutate({ organizationId, templateId: template.id, input });
              })(event)
            }
          >
            {template.variables.length === 0 ? (
              <p className="text-sm text-muted-foreground">This template takes no variables.</p>
            ) : null}
            {template.variables.map((variable) => (
              <FormField
                key={variable.name}
                control={form.control}
                name={`input.${variable.name}`}
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>
                      {variable.name}
                      {variable.required ? "" : " (optional)"}
                    </FormLabel>
                    <FormControl>
                      {variable.type === "string" ? (
                        <Textarea
                          rows={3}
                          maxLength={20_000}
                          {...field}
                          value={String(field.value ?? "")}
                        />
                      ) : variable.type === "number" ? (
                        <input
                          type="number"
                          className="h-9 rounded-md border bg-transparent px-3 text-sm"
                          {...field}
                          value={String(field.value ?? "")}
                        />
                      ) : (
                        <select
                          className="h-9 rounded-md border bg-transparent px-3 text-sm"
                          {...field}
                          value={String(field.value ?? "false")}
                        >
                          <option value="true">true</option>
                          <option value="false">false</option>
                        </select>
                      )}
                    </FormControl>
                    {variable.description ? (
                      <FormDescription>{variable.description}</FormDescription>
                    ) : null}
                    <FormMessage />
                  </FormItem>
                )}
              />
            ))}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={run.isPending}>
                Run task
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
