"use client";
// AI tasks: the templates (new, edit, run), recent tasks, batches (upload CSV/JSON, progress,
// results download) and the settings (the organization's own provider key, the member's
// defaults). The offline demo provider is labelled wherever it appears.
import { Sparkles } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import { Form, InputField } from "@plinth/ui/form";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Progress } from "@plinth/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@plinth/ui/tabs";
import { toast } from "@plinth/ui/toaster";
import { upgradeOfferOf, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { reportError } from "@plinth/web-kit/feedback";
import { formatCost, OfflineBadge, ProviderLabel, StatusBadge } from "./labels.tsx";
import type { AiTasksOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

const RunDialog = dynamic(() => import("./run-dialog.tsx"), { ssr: false });
const UpgradeDialog = dynamic(
  () => import("@plinth/ui/upgrade-dialog").then((m) => m.UpgradeDialog),
  { ssr: false },
);

type Template = AiTasksOutputs["aiTemplate"]["list"][number];
type Task = AiTasksOutputs["aiTask"]["list"][number];
type Batch = AiTasksOutputs["aiBatch"]["list"][number];

interface Props {
  organizationId: string;
  slug: string;
  planName: string;
  isAdmin: boolean;
  initial: {
    templates: Template[];
    tasks: Task[];
    batches: Batch[];
    key: AiTasksOutputs["aiSettings"]["key"];
    preferences: AiTasksOutputs["aiSettings"]["preferences"];
  };
}

export function AiView(props: Props) {
  const { organizationId, slug, planName } = props;
  const router = useRouter();
  const templates = api.aiTemplate.list.useQuery(
    { organizationId },
    { initialData: props.initial.templates },
  );
  const tasks = api.aiTask.list.useQuery(
    { organizationId, limit: 50 },
    {
      initialData: props.initial.tasks,
      refetchInterval: (query) =>
        query.state.data?.some((t) => t.status === "QUEUED" || t.status === "RUNNING")
          ? 2_000
          : false,
    },
  );
  const preferences = api.aiSettings.preferences.useQuery(
    { organizationId },
    { initialData: props.initial.preferences },
  );
  const [running, setRunning] = useState<Template | null>(null);
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const defaultTemplate = templates.data.find((t) => t.id === preferences.data.defaultTemplateId);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="AI tasks"
        description="Templates your organization runs through a model; every run is a task you can watch live."
        actions={
          <div className="flex gap-2">
            {defaultTemplate ? (
              <Button variant="outline" onClick={() => setRunning(defaultTemplate)}>
                Run “{defaultTemplate.name}”
              </Button>
            ) : null}
            <Button asChild>
              <Link href={`/o/${slug}/ai/templates/new`}>New template</Link>
            </Button>
          </div>
        }
      />
      <Tabs defaultValue="templates">
        <TabsList aria-label="AI sections">
          <TabsTrigger value="templates">Templates ({templates.data.length})</TabsTrigger>
          <TabsTrigger value="tasks">Tasks</TabsTrigger>
          <TabsTrigger value="batches">Batches</TabsTrigger>
          <TabsTrigger value="settings">Settings</TabsTrigger>
        </TabsList>
        <TabsContent value="templates">
          {templates.data.length === 0 ? (
            <EmptyState icon={<Sparkles aria-hidden="true" />} title="No templates yet">
              Create one: a prompt with typed variables, a provider and a model.
            </EmptyState>
          ) : (
            <Card className="py-0">
              <Table aria-label="Templates">
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Provider</TableHead>
                    <TableHead>Model</TableHead>
                    <TableHead>Output</TableHead>
                    <TableHead className="w-40">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {templates.data.map((template) => (
                    <TableRow key={template.id}>
                      <TableCell className="font-medium">
                        <Link href={`/o/${slug}/ai/templates/${template.id}`}>{template.name}</Link>
                      </TableCell>
                      <TableCell>
                        <ProviderLabel provider={template.provider} offline={false} />
                      </TableCell>
                      <TableCell className="font-mono text-xs">{template.model}</TableCell>
                      <TableCell>{template.outputSchema ? "JSON (schema)" : "Text"}</TableCell>
                      <TableCell className="text-right">
                        <Button size="sm" onClick={() => setRunning(template)}>
                          Run
                        </Button>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Card>
          )}
        </TabsContent>
        <TabsContent value="tasks">
          <TasksTable slug={slug} tasks={tasks.data} />
        </TabsContent>
        <TabsContent value="batches">
          <BatchesPanel
            organizationId={organizationId}
            slug={slug}
            templates={templates.data}
            initial={props.initial.batches}
            onRefusal={setRefusal}
          />
        </TabsContent>
        <TabsContent value="settings" className="grid gap-6">
          <KeyCard
            organizationId={organizationId}
            isAdmin={props.isAdmin}
            initial={props.initial.key}
          />
          <PreferencesCard organizationId={organizationId} templates={templates.data} />
        </TabsContent>
      </Tabs>
      {running ? (
        <RunDialog
          organizationId={organizationId}
          template={running}
          onClose={() => setRunning(null)}
          onRefusal={setRefusal}
          onQueued={(taskId) => router.push(`/o/${slug}/ai/tasks/${taskId}`)}
        />
      ) : null}
      {refusal ? (
        <UpgradeDialog
          open
          onOpenChange={(open) => {
            if (!open) setRefusal(null);
          }}
          {...upgradeOfferOf(refusal, planName)}
          upgradeLink={<Link href={`/o/${slug}/billing`}>See plans and upgrade</Link>}
        />
      ) : null}
    </div>
  );
}

function TasksTable({ slug, tasks }: { slug: string; tasks: Task[] }) {
  return (
    <Card className="py-0">
      <Table aria-label="Tasks">
        <TableHeader>
          <TableRow>
            <TableHead>Template</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Provider</TableHead>
            <TableHead className="text-right">Tokens</TableHead>
            <TableHead className="text-right">Cost</TableHead>
            <TableHead>Created</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tasks.length === 0 ? (
            <TableEmpty colSpan={6}>No tasks yet: run a template.</TableEmpty>
          ) : (
            tasks.map((task) => (
              <TableRow key={task.id}>
                <TableCell className="font-medium">
                  <Link href={`/o/${slug}/ai/tasks/${task.id}`}>{task.templateName}</Link>
                </TableCell>
                <TableCell>
                  <StatusBadge status={task.status} />
                </TableCell>
                <TableCell>
                  <ProviderLabel provider={task.provider} offline={task.offline} />
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {(task.promptTokens + task.completionTokens).toLocaleString("en-US")}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatCost(task.costMicroCents)}
                </TableCell>
                <TableCell>{formatDay(task.createdAt)}</TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </Card>
  );
}

function download(file: { filename: string; contentType: string; content: string }) {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.filename;
  link.click();
  URL.revokeObjectURL(url);
}

function BatchesPanel(props: {
  organizationId: string;
  slug: string;
  templates: Template[];
  initial: Batch[];
  onRefusal: (refusal: UpgradeRefusal) => void;
}) {
  const { organizationId, templates } = props;
  const utils = api.useUtils();
  const batches = api.aiBatch.list.useQuery(
    { organizationId },
    {
      initialData: props.initial,
      refetchInterval: (query) => (query.state.data?.some((b) => !b.finished) ? 1_500 : false),
    },
  );
  const [templateId, setTemplateId] = useState<string>("");
  const [file, setFile] = useState<{ name: string; content: string } | null>(null);
  const create = api.aiBatch.create.useMutation({
    onSuccess: async (batch) => {
      toast.success(`Batch of ${batch.total} tasks queued`);
      setFile(null);
      await utils.aiBatch.list.invalidate({ organizationId });
    },
    onError: (error) => reportError(error, { onRefusal: props.onRefusal }),
  });
  const exportFile = async (batchId: string, format: "csv" | "json") => {
    try {
      download(await utils.aiBatch.export.fetch({ organizationId, batchId, format }));
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "Download failed");
    }
  };
  const template = templates.find((t) => t.id === templateId);
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Run a template over a file</CardTitle>
          <CardDescription>
            CSV with a header row of variable names, or a JSON array of objects: one task per row
            (at most 500).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form
            aria-label="New batch"
            className="grid gap-4 sm:grid-cols-[16rem_1fr_auto] sm:items-end"
            onSubmit={(event) => {
              event.preventDefault();
              if (!template || !file) return;
              create.mutate({
                organizationId,
                templateId: template.id,
                name: file.name,
                format: file.name.toLowerCase().endsWith(".json") ? "json" : "csv",
                content: file.content,
              });
            }}
          >
            <label className="grid gap-1.5 text-sm font-medium">
              Template
              <Select value={templateId} onValueChange={setTemplateId}>
                <SelectTrigger aria-label="Template">
                  <SelectValue placeholder="Choose a template" />
                </SelectTrigger>
                <SelectContent>
                  {templates.map((t) => (
                    <SelectItem key={t.id} value={t.id}>
                      {t.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </label>
            <label className="grid gap-1.5 text-sm font-medium">
              File (.csv or .json)
              <input
                type="file"
                accept=".csv,.json,text/csv,application/json"
                className="text-sm"
                onChange={(event) => {
                  const chosen = event.target.files?.[0];
                  if (!chosen) return setFile(null);
                  void chosen.text().then((content) => setFile({ name: chosen.name, content }));
                }}
              />
            </label>
            <Button type="submit" disabled={!template || !file} loading={create.isPending}>
              Queue batch
            </Button>
          </form>
          {template ? (
            <p className="mt-3 text-sm text-muted-foreground">
              Columns: {template.variables.map((v) => v.name).join(", ") || "(none)"}
            </p>
          ) : null}
        </CardContent>
      </Card>
      <Card className="py-0">
        <Table aria-label="Batches">
          <TableHeader>
            <TableRow>
              <TableHead>Batch</TableHead>
              <TableHead>Template</TableHead>
              <TableHead className="w-56">Progress</TableHead>
              <TableHead className="w-48">
                <span className="sr-only">Download</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {batches.data.length === 0 ? (
              <TableEmpty colSpan={4}>No batches yet.</TableEmpty>
            ) : (
              batches.data.map((batch) => (
                <TableRow key={batch.id}>
                  <TableCell className="font-medium">{batch.name}</TableCell>
                  <TableCell>{batch.templateName}</TableCell>
                  <TableCell>
                    <div className="grid gap-1">
                      <Progress value={(batch.done * 100) / Math.max(1, batch.total)} />
                      <span className="text-xs text-muted-foreground">
                        {batch.done}/{batch.total} done · {batch.counts.SUCCEEDED} succeeded ·{" "}
                        {batch.counts.FAILED} failed
                      </span>
                    </div>
                  </TableCell>
                  <TableCell className="text-right">
                    <div className="flex justify-end gap-2">
                      <Button
                        size="sm"
                        variant="outline"
                        onClick={() => void exportFile(batch.id, "csv")}
                      >
                        CSV
                      </Button>
                      <Button
                        size="sm"
                        variant="outline"
                        onClick={() => void exportFile(batch.id, "json")}
                      >
                        JSON
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}

function KeyCard(props: {
  organizationId: string;
  isAdmin: boolean;
  initial: AiTasksOutputs["aiSettings"]["key"];
}) {
  const { organizationId } = props;
  const utils = api.useUtils();
  const key = api.aiSettings.key.useQuery({ organizationId }, { initialData: props.initial });
  const form = useContractForm("setProviderKeyInput", { defaultValues: { apiKey: "" } });
  const refresh = () => utils.aiSettings.key.invalidate({ organizationId });
  const save = api.aiSettings.setKey.useMutation({
    onSuccess: async () => {
      form.reset({ apiKey: "" });
      toast.success("Key saved (encrypted); only its last characters are shown");
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const remove = api.aiSettings.deleteKey.useMutation({
    onSuccess: refresh,
    onError: (error) => reportError(error),
  });
  const own = key.data.organizationKey;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Provider key</CardTitle>
        <CardDescription>
          Templates with the OpenAI-compatible provider use your organization’s own key when one is
          set, else the platform’s.{" "}
          {key.data.platformKeyConfigured
            ? "The platform has a key."
            : "The platform has no key: without your own, use the offline demo provider."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm">
          Your key:{" "}
          {own ? (
            <Badge variant="secondary" className="font-mono" data-testid="key-hint">
              {own.hint}
            </Badge>
          ) : (
            <span className="text-muted-foreground">none</span>
          )}
        </p>
        {props.isAdmin ? (
          <Form {...form}>
            <form
              aria-label="Provider key"
              className="flex flex-col gap-3 sm:flex-row sm:items-start"
              noValidate
              onSubmit={(event) =>
                void form.handleSubmit((values) => save.mutate({ organizationId, ...values }))(
                  event,
                )
              }
            >
              <InputField
                control={form.control}
                name="apiKey"
                label={own ? "Replace the key" : "Your OpenAI-compatible API key"}
                type="password"
                autoComplete="off"
                maxLength={400}
                className="flex-1"
              />
              <Button type="submit" loading={save.isPending} className="sm:mt-[1.375rem]">
                Save key
              </Button>
              {own ? (
                <Button
                  type="button"
                  variant="outline"
                  loading={remove.isPending}
                  className="sm:mt-[1.375rem]"
                  onClick={() => remove.mutate({ organizationId })}
                >
                  Remove
                </Button>
              ) : null}
            </form>
          </Form>
        ) : (
          <p className="text-sm text-muted-foreground">Admins can set or remove the key.</p>
        )}
        <BaseUrlForm
          organizationId={organizationId}
          isAdmin={props.isAdmin}
          current={key.data.organizationBaseUrl?.url ?? null}
          onSaved={refresh}
        />
      </CardContent>
    </Card>
  );
}

/** The organization's own OpenAI-compatible endpoint: used with its own key, never the platform's. */
function BaseUrlForm(props: {
  organizationId: string;
  isAdmin: boolean;
  current: string | null;
  onSaved: () => Promise<void>;
}) {
  const { organizationId, current } = props;
  const form = useContractForm("setProviderBaseUrlInput", { defaultValues: { baseUrl: "" } });
  const save = api.aiSettings.setBaseUrl.useMutation({
    onSuccess: async (saved) => {
      form.reset({ baseUrl: "" });
      toast.success(saved.organizationBaseUrl ? "Base URL saved" : "Base URL removed");
      await props.onSaved();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <div className="grid gap-3 border-t pt-4">
      <p className="text-sm">
        Your endpoint:{" "}
        {current ? (
          <span className="font-mono break-all" data-testid="base-url">
            {current}
          </span>
        ) : (
          <span className="text-muted-foreground">the platform’s</span>
        )}
      </p>
      {props.isAdmin ? (
        <Form {...form}>
          <form
            aria-label="Provider base URL"
            className="flex flex-col gap-3 sm:flex-row sm:items-start"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => save.mutate({ organizationId, ...values }))(event)
            }
          >
            <InputField
              control={form.control}
              name="baseUrl"
              label="OpenAI-compatible base URL (…/v1: Azure, OpenRouter, vLLM, Ollama)"
              description="Used with your own key only. https, on a public address."
              type="url"
              autoComplete="off"
              maxLength={2_000}
              className="flex-1"
            />
            <Button type="submit" loading={save.isPending} className="sm:mt-[1.375rem]">
              Save URL
            </Button>
            {current ? (
              <Button
                type="button"
                variant="outline"
                loading={save.isPending}
                className="sm:mt-[1.375rem]"
                onClick={() => save.mutate({ organizationId, baseUrl: null })}
              >
                Use the platform’s
              </Button>
            ) : null}
          </form>
        </Form>
      ) : null}
    </div>
  );
}

function PreferencesCard(props: { organizationId: string; templates: Template[] }) {
  const { organizationId, templates } = props;
  const utils = api.useUtils();
  const preferences = api.aiSettings.preferences.useQuery({ organizationId });
  const save = api.aiSettings.setPreferences.useMutation({
    onSuccess: async () => {
      toast.success("Preferences saved");
      await utils.aiSettings.preferences.invalidate({ organizationId });
    },
    onError: (error) => reportError(error),
  });
  const current = preferences.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your defaults</CardTitle>
        <CardDescription>
          The template the page offers to run, and the provider and model new templates start with.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4 sm:grid-cols-3">
        <label className="grid gap-1.5 text-sm font-medium">
          Default template
          <Select
            value={current?.defaultTemplateId ?? "none"}
            onValueChange={(value) =>
              save.mutate({ organizationId, defaultTemplateId: value === "none" ? null : value })
            }
          >
            <SelectTrigger aria-label="Default template">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="none">None</SelectItem>
              {templates.map((t) => (
                <SelectItem key={t.id} value={t.id}>
                  {t.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </label>
        <label className="grid gap-1.5 text-sm font-medium">
          Default provider
          <Select
            value={current?.defaultProvider ?? "offline"}
            onValueChange={(value) =>
              save.mutate({
                organizationId,
                defaultProvider: value === "openai" ? "openai" : "offline",
              })
            }
          >
            <SelectTrigger aria-label="Default provider">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="offline">Offline demo (no model called)</SelectItem>
              <SelectItem value="openai">OpenAI-compatible</SelectItem>
            </SelectContent>
          </Select>
        </label>
        <form
          className="grid gap-1.5 text-sm font-medium"
          onSubmit={(event) => {
            event.preventDefault();
            const value = new FormData(event.currentTarget).get("defaultModel");
            save.mutate({
              organizationId,
              defaultModel: typeof value === "string" && value.trim() ? value.trim() : null,
            });
          }}
        >
          <label htmlFor="default-model">Default model</label>
          <div className="flex gap-2">
            <input
              id="default-model"
              name="defaultModel"
              defaultValue={current?.defaultModel ?? ""}
              maxLength={200}
              placeholder="gpt-4o-mini"
              className="h-9 flex-1 rounded-md border bg-transparent px-3 text-sm"
            />
            <Button type="submit" size="sm" variant="outline">
              Save
            </Button>
          </div>
        </form>
        {current?.defaultProvider === "offline" ? (
          <div className="sm:col-span-3">
            <OfflineBadge />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
