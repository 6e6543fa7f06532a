"use client";
// A task template: provider and model, system prompt, the prompt with {{variables}}, the
// variables' types, temperature and max tokens, an optional JSON Schema for the answer.
// Validated with the contract's createTemplateInput (react-hook-form); the server also checks
// that the placeholders and the declared variables match.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFieldArray } from "react-hook-form";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  InputField,
} from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { Switch } from "@plinth/ui/switch";
import { Textarea } from "@plinth/ui/textarea";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { OfflineBadge } from "./labels.tsx";
import type { AiTasksOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

type Template = AiTasksOutputs["aiTemplate"]["get"];
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function TemplateForm(props: {
  organizationId: string;
  slug: string;
  template: Template | null;
  defaults: { provider: "offline" | "openai"; model: string };
}) {
  const { organizationId, slug, template } = props;
  const router = useRouter();
  const utils = api.useUtils();
  const form = useContractForm("createTemplateInput", {
    defaultValues: {
      name: template?.name ?? "",
      provider: template?.provider ?? props.defaults.provider,
      model: template?.model ?? props.defaults.model,
      systemPrompt: template?.systemPrompt ?? "",
      promptTemplate: template?.promptTemplate ?? "",
      variables: template?.variables ?? [],
      temperature: template?.temperature ?? null,
      maxTokens: template?.maxTokens ?? null,
      outputSchema: template?.outputSchema ? JSON.stringify(template.outputSchema, null, 2) : "",
    },
  });
  const variables = useFieldArray({ control: form.control, name: "variables" });
  const done = async (saved: { name: string }) => {
    toast.success(`Template “${saved.name}” saved`);
    await utils.aiTemplate.list.invalidate({ organizationId });
    router.push(`/o/${slug}/ai`);
  };
  const create = api.aiTemplate.create.useMutation({
    onSuccess: done,
    onError: (error) => reportError(error, { form }),
  });
  const update = api.aiTemplate.update.useMutation({
    onSuccess: done,
    onError: (error) => reportError(error, { form }),
  });
  const provider = form.watch("provider");

  /** Declares every {{placeholder}} of the prompt that is not a variable yet (as text). */
  const addPlaceholders = () => {
    const declared = new Set((form.getValues("variables") ?? []).map((v) => v.name));
    for (const match of form.getValues("promptTemplate").matchAll(PLACEHOLDER)) {
      const name = match[1];
      if (name && !declared.has(name)) {
        declared.add(name);
        variables.append({ name, type: "string", required: true });
      }
    }
  };

  return (
    <div className="grid gap-6">
      <PageHeader
        title={template ? `Template “${template.name}”` : "New template"}
        description="A prompt with typed variables, run by the provider and model you choose."
        actions={
          <Button variant="outline" asChild>
            <Link href={`/o/${slug}/ai`}>Back</Link>
          </Button>
        }
      />
      <Form {...form}>
        <form
          aria-label="Template"
          className="grid gap-6"
          noValidate
          onSubmit={(event) =>
            void form.handleSubmit((values) =>
              template
                ? update.mutate({ organizationId, templateId: template.id, ...values })
                : create.mutate({ organizationId, ...values }),
            )(event)
          }
        >
          <Card>
            <CardHeader>
              <CardTitle>Model</CardTitle>
              <CardDescription>
                The offline demo provider answers without a key or network (its answers are
                labelled); OpenAI-compatible uses your organization’s key or the platform’s.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4 sm:grid-cols-2">
              <InputField control={form.control} name="name" label="Name" maxLength={80} />
              <FormField
                control={form.control}
                name="provider"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Provider</FormLabel>
                    <Select value={field.value} onValueChange={field.onChange}>
                      <FormControl>
                        <SelectTrigger aria-label="Provider">
                          <SelectValue />
                        </SelectTrigger>
                      </FormControl>
                      <SelectContent>
                        <SelectItem value="offline">Offline demo (no model called)</SelectItem>
                        <SelectItem value="openai">OpenAI-compatible</SelectItem>
                      </SelectContent>
                    </Select>
                    {provider === "offline" ? <OfflineBadge /> : null}
                    <FormMessage />
                  </FormItem>
                )}
              />
              <InputField
                control={form.control}
                name="model"
                label="Model"
                maxLength={200}
                placeholder={provider === "offline" ? "offline-demo" : "gpt-4o-mini"}
              />
              <div className="grid grid-cols-2 gap-4">
                <FormField
                  control={form.control}
                  name="temperature"
                  render={({ field }) => (
                    <FormItem>
                      <FormLabel>Temperature</FormLabel>
                      <FormControl>
                        <Input
                          type="number"
                          step="0.1"
                          min={0}
                          max={2}
                          name={field.name}
                          ref={field.ref}
                          onBlur={field.onBlur}
                          value={field.value ?? ""}
                          onChange={(e) =>
                            field.onChange(e.target.value === "" ? null : Number(e.target.value))
                          }
                        />
                      </FormControl>
                      <FormMessage />
                    </FormItem>
                  )}
                />
                <FormField
                  control={form.control}
                  name="maxTokens"
                  render={({ field }) => (
                    <FormItem>
                      <FormLabel>Max tokens</FormLabel>
                      <FormControl>
                        <Input
                          type="number"
                          min={1}
                          name={field.name}
                          ref={field.ref}
                          onBlur={field.onBlur}
                          value={field.value ?? ""}
                          onChange={(e) =>
                            field.onChange(e.target.value === "" ? null : Number(e.target.value))
                          }
                        />
                      </FormControl>
                      <FormMessage />
                    </FormItem>
                  )}
                />
              </div>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Prompt</CardTitle>
              <CardDescription>
                Write {"{{name}}"} where a variable goes; declare each variable below.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              <FormField
                control={form.control}
                name="systemPrompt"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>System prompt</FormLabel>
                    <FormControl>
                      <Textarea rows={2} maxLength={8_000} {...field} value={field.value ?? ""} />
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
              <FormField
                control={form.control}
                name="promptTemplate"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>Prompt template</FormLabel>
                    <FormControl>
                      <Textarea rows={5} maxLength={20_000} {...field} />
                    </FormControl>
                    <FormMessage />
                  </FormItem>
                )}
              />
              <div className="grid gap-3">
                <div className="flex items-center justify-between">
                  <h3 className="text-sm font-medium">Variables</h3>
                  <div className="flex gap-2">
                    <Button type="button" size="sm" variant="outline" onClick={addPlaceholders}>
                      Add from prompt
                    </Button>
                    <Button
                      type="button"
                      size="sm"
                      variant="outline"
                      onClick={() => variables.append({ name: "", type: "string", required: true })}
                    >
                      Add variable
                    </Button>
                  </div>
                </div>
                {variables.fields.map((item, index) => (
                  <div
                    key={item.id}
                    className="grid items-start gap-3 sm:grid-cols-[1fr_10rem_auto_auto]"
                    data-testid="variable-row"
                  >
                    <InputField
                      control={form.control}
                      name={`variables.${index}.name`}
                      label="Name"
                      maxLength={64}
                    />
                    <FormField
                      control={form.control}
                      name={`variables.${index}.type`}
                      render={({ field }) => (
                        <FormItem>
                          <FormLabel>Type</FormLabel>
                          <Select value={field.value} onValueChange={field.onChange}>
                            <FormControl>
                              <SelectTrigger aria-label="Type">
                                <SelectValue />
                              </SelectTrigger>
                            </FormControl>
                            <SelectContent>
                              <SelectItem value="string">Text</SelectItem>
                              <SelectItem value="number">Number</SelectItem>
                              <SelectItem value="boolean">Yes/no</SelectItem>
                            </SelectContent>
                          </Select>
                        </FormItem>
                      )}
                    />
                    <FormField
                      control={form.control}
                      name={`variables.${index}.required`}
                      render={({ field }) => (
                        <FormItem className="items-center">
                          <FormLabel>Required</FormLabel>
                          <FormControl>
                            <Switch
                              checked={field.value ?? true}
                              onCheckedChange={field.onChange}
                            />
                          </FormControl>
                        </FormItem>
                      )}
                    />
                    <Button
                      type="button"
                      variant="ghost"
                      size="sm"
                      className="sm:mt-[1.375rem]"
                      onClick={() => variables.remove(index)}
                    >
                      Remove
                    </Button>
                  </div>
                ))}
                {form.formState.errors.variables?.message ? (
                  <p className="text-sm text-destructive">
                    {form.formState.errors.variables.message}
                  </p>
                ) : null}
              </div>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Output</CardTitle>
              <CardDescription>
                Optional: a JSON Schema object. The answer must be JSON of that shape; an answer
                that is not fails its attempt and the task is retried.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <FormField
                control={form.control}
                name="outputSchema"
                render={({ field }) => (
                  <FormItem>
                    <FormLabel>JSON Schema</FormLabel>
                    <FormControl>
                      <Textarea
                        rows={6}
                        maxLength={20_000}
                        className="font-mono text-xs"
                        placeholder='{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}'
                        {...field}
                        value={field.value ?? ""}
                      />
                    </FormControl>
                    <FormDescription>Leave empty for a free-text answer.</FormDescription>
                    <FormMessage />
                  </FormItem>
                )}
              />
            </CardContent>
          </Card>
          <div className="flex justify-end">
            <Button type="submit" loading={create.isPending || update.isPending}>
              {template ? "Save template" : "Create template"}
            </Button>
          </div>
        </form>
      </Form>
    </div>
  );
}
