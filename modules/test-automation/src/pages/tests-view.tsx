"use client";
// Test automation for one project: the dashboard (pass rate, duration, flakiest tests),
// suites with their tests (a form that writes the definition, or the JSON/YAML editor; both
// validated by the same schemas on the server), starting runs, environments (secrets are
// write-only), watchers and recent runs.
import { FlaskConical, Play, Trash2 } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray } from "react-hook-form";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import { Form, InputField } from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
import { Label } from "@plinth/ui/label";
import { formatDateTime } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Stat } from "@plinth/ui/stat";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@plinth/ui/tabs";
import { Textarea } from "@plinth/ui/textarea";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import type { TestAutomationOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const DashboardCharts = dynamic(() => pageLoaded().then(() => import("./dashboard-charts.tsx")), {
  ssr: false,
});

type Suites = TestAutomationOutputs["testSuite"]["list"];
type Environments = TestAutomationOutputs["testEnvironment"]["list"];
type Runs = TestAutomationOutputs["testRun"]["list"];
type Dashboard = TestAutomationOutputs["testRun"]["dashboard"];
type Watchers = TestAutomationOutputs["testWatcher"]["list"];

export const TEST_RUN_STATUS = {
  QUEUED: { label: "queued", variant: "secondary" },
  RUNNING: { label: "running", variant: "info" },
  PASSED: { label: "passed", variant: "success" },
  FAILED: { label: "failed", variant: "destructive" },
  CANCELED: { label: "canceled", variant: "warning" },
} as const;

interface Props {
  organizationId: string;
  slug: string;
  projects: { id: string; name: string }[];
  projectId: string | null;
  canDelete: boolean;
  initial: {
    suites: Suites;
    environments: Environments;
    runs: Runs;
    dashboard: Dashboard;
    watchers: Watchers;
  } | null;
}

export function TestsView(props: Props) {
  const { projectId, initial } = props;
  if (!projectId || !initial) {
    return (
      <div className="grid gap-6">
        <PageHeader title="Tests" description="API and browser tests for your projects." />
        <EmptyState icon={<FlaskConical aria-hidden="true" />} title="No project yet">
          Tests live in projects: <Link href={`/o/${props.slug}/projects`}>create a project</Link>{" "}
          first.
        </EmptyState>
      </div>
    );
  }
  return <ProjectTests {...props} projectId={projectId} initial={initial} />;
}

function ProjectTests({
  organizationId,
  slug,
  projects,
  projectId,
  canDelete,
  initial,
}: Props & { projectId: string; initial: NonNullable<Props["initial"]> }) {
  const input = { organizationId, projectId };
  const suites = api.testSuite.list.useQuery(input, { initialData: initial.suites });
  const environments = api.testEnvironment.list.useQuery(input, {
    initialData: initial.environments,
  });
  const runs = api.testRun.list.useQuery(
    { ...input, limit: 20 },
    { initialData: initial.runs, refetchInterval: 5000 },
  );
  const dashboard = api.testRun.dashboard.useQuery(
    { ...input, days: 30 },
    { initialData: initial.dashboard },
  );
  const totals = dashboard.data.totals;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Tests"
        description="Suites of API and browser tests, run on demand, on a schedule or from CI."
      />
      {projects.length > 1 ? (
        <nav aria-label="Projects" className="flex flex-wrap gap-2">
          {projects.map((p) => (
            <Button
              key={p.id}
              asChild
              variant={p.id === projectId ? "default" : "outline"}
              size="sm"
            >
              <Link href={`/o/${slug}/tests?project=${p.id}`}>{p.name}</Link>
            </Button>
          ))}
        </nav>
      ) : null}

      <section aria-label="Dashboard" className="grid gap-4">
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label="Runs (30 days)" value={totals.runs} />
          <Stat
            label="Runs passed"
            value={totals.runs ? `${Math.round((totals.passed / totals.runs) * 100)}%` : "–"}
          />
          <Stat label="Flaky tests" value={dashboard.data.flakiest.length} />
        </dl>
        <DashboardCharts daily={dashboard.data.daily} />
        {dashboard.data.flakiest.length ? (
          <Card>
            <CardHeader>
              <CardTitle>Flakiest tests</CardTitle>
              <CardDescription>Passed only on a retry, most often first (30 days).</CardDescription>
            </CardHeader>
            <CardContent>
              <ol className="grid gap-1 text-sm">
                {dashboard.data.flakiest.map((t) => (
                  <li key={t.testId ?? t.name} className="flex justify-between">
                    <span>{t.name}</span>
                    <span className="tabular-nums text-muted-foreground">{t.flakyRuns}×</span>
                  </li>
                ))}
              </ol>
            </CardContent>
          </Card>
        ) : null}
      </section>

      <SuitesCard
        organizationId={organizationId}
        slug={slug}
        projectId={projectId}
        canDelete={canDelete}
        suites={suites.data}
        environments={environments.data}
      />
      <TestEditor organizationId={organizationId} projectId={projectId} suites={suites.data} />
      <EnvironmentsCard
        organizationId={organizationId}
        projectId={projectId}
        environments={environments.data}
        canDelete={canDelete}
      />
      <WatchersCard
        organizationId={organizationId}
        projectId={projectId}
        initial={initial.watchers}
      />

      <Card className="py-0">
        <Table aria-label="Recent test runs">
          <TableHeader>
            <TableRow>
              <TableHead>Run</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Trigger</TableHead>
              <TableHead className="text-right">Passed</TableHead>
              <TableHead>Started</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {runs.data.map((run) => (
              <TableRow key={run.id}>
                <TableCell>
                  <Link
                    className="underline-offset-4 hover:underline"
                    href={`/o/${slug}/tests/runs/${run.id}`}
                  >
                    {run.suiteName} · {run.environmentName}
                  </Link>
                </TableCell>
                <TableCell>
                  <Badge variant={TEST_RUN_STATUS[run.status].variant}>
                    {TEST_RUN_STATUS[run.status].label}
                  </Badge>
                </TableCell>
                <TableCell className="text-muted-foreground">{run.trigger.toLowerCase()}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {run.passed + run.flaky}/{run.total}
                </TableCell>
                <TableCell className="whitespace-nowrap text-muted-foreground">
                  {formatDateTime(run.createdAt)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
    </div>
  );
}

function download(name: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function SuitesCard({
  organizationId,
  slug,
  projectId,
  canDelete,
  suites,
  environments,
}: {
  organizationId: string;
  slug: string;
  projectId: string;
  canDelete: boolean;
  suites: Suites;
  environments: Environments;
}) {
  const router = useRouter();
  const utils = api.useUtils();
  const refresh = () => utils.testSuite.list.invalidate({ organizationId, projectId });
  const [environmentId, setEnvironmentId] = useState<string>(environments[0]?.id ?? "");
  const form = useContractForm("createSuiteInput", {
    defaultValues: { projectId, name: "", schedule: null },
  });
  const create = api.testSuite.create.useMutation({
    onSuccess: async (suite) => {
      form.reset({ projectId, name: "", schedule: null });
      toast.success(`Suite “${suite.name}” created`);
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const start = api.testRun.start.useMutation({
    onSuccess: (run) => router.push(`/o/${slug}/tests/runs/${run.id}`),
    onError: (error) => reportError(error),
  });
  const remove = api.testSuite.delete.useMutation({
    onSuccess: refresh,
    onError: (e) => reportError(e),
  });
  const exportSuite = utils.testSuite.export;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Suites</CardTitle>
        <CardDescription>
          Run a suite on an environment; CI does the same with an API key.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex items-center gap-2">
          <Label htmlFor="run-environment">Environment</Label>
          <select
            id="run-environment"
            className="h-9 rounded-md border bg-background px-2 text-sm"
            value={environmentId}
            onChange={(event) => setEnvironmentId(event.target.value)}
          >
            {environments.map((env) => (
              <option key={env.id} value={env.id}>
                {env.name}
              </option>
            ))}
          </select>
        </div>
        {suites.length ? (
          <Table aria-label="Suites">
            <TableHeader>
              <TableRow>
                <TableHead>Suite</TableHead>
                <TableHead className="text-right">Tests</TableHead>
                <TableHead>Schedule</TableHead>
                <TableHead>Last run</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {suites.map((suite) => (
                <TableRow key={suite.id}>
                  <TableCell>{suite.name}</TableCell>
                  <TableCell className="text-right tabular-nums">{suite.testCount}</TableCell>
                  <TableCell className="font-mono text-xs">{suite.schedule ?? "–"}</TableCell>
                  <TableCell>
                    {suite.lastRun ? (
                      <Link href={`/o/${slug}/tests/runs/${suite.lastRun.id}`}>
                        <Badge variant={TEST_RUN_STATUS[suite.lastRun.status].variant}>
                          {TEST_RUN_STATUS[suite.lastRun.status].label}
                        </Badge>
                      </Link>
                    ) : (
                      "–"
                    )}
                  </TableCell>
                  <TableCell className="flex justify-end gap-2">
                    <Button
                      size="sm"
                      disabled={!environmentId || suite.testCount === 0}
                      loading={start.isPending && start.variables.suiteId === suite.id}
                      onClick={() =>
                        start.mutate({ organizationId, suiteId: suite.id, environmentId })
                      }
                    >
                      <Play aria-hidden="true" /> Run
                    </Button>
                    {(["json", "yaml"] as const).map((format) => (
                      <Button
                        key={format}
                        size="sm"
                        variant="outline"
                        onClick={() =>
                          void exportSuite
                            .fetch({ organizationId, suiteId: suite.id, format })
                            .then((file) =>
                              download(
                                `${file.name}.${format}`,
                                file.text,
                                format === "json" ? "application/json" : "application/yaml",
                              ),
                            )
                            .catch((error: unknown) => reportError(error as never))
                        }
                      >
                        {format.toUpperCase()}
                      </Button>
                    ))}
                    {canDelete ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Delete ${suite.name}`}
                        onClick={() => remove.mutate({ organizationId, suiteId: suite.id })}
                      >
                        <Trash2 aria-hidden="true" />
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <p className="text-sm text-muted-foreground">No suites yet.</p>
        )}
        <Form {...form}>
          <form
            aria-label="New suite"
            className="flex flex-col gap-3 sm:flex-row sm:items-start"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) =>
                create.mutate({
                  organizationId,
                  ...values,
                  ...(values.schedule ? { scheduleEnvironmentId: environmentId || null } : {}),
                }),
              )(event)
            }
          >
            <InputField
              control={form.control}
              name="name"
              label="Suite name"
              placeholder="e.g. API smoke tests"
              className="flex-1"
            />
            <InputField
              control={form.control}
              name="schedule"
              label="Schedule (cron, UTC, optional)"
              placeholder="0 * * * *"
              description="Runs on the environment chosen above."
            />
            <Button type="submit" loading={create.isPending} className="sm:mt-[1.375rem]">
              Create suite
            </Button>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}

const EXAMPLE = JSON.stringify(
  {
    kind: "http",
    name: "Health answers ok",
    steps: [{ method: "GET", url: "/api/health", assertions: [{ type: "status", equals: 200 }] }],
  },
  null,
  2,
);

function TestEditor({
  organizationId,
  projectId,
  suites,
}: {
  organizationId: string;
  projectId: string;
  suites: Suites;
}) {
  const utils = api.useUtils();
  const [suiteId, setSuiteId] = useState(suites[0]?.id ?? "");
  const form = useContractForm("createTestInput", {
    defaultValues: { suiteId, format: "json", text: EXAMPLE },
  });
  const [quick, setQuick] = useState({
    name: "",
    method: "GET",
    url: "/",
    status: "200",
    contains: "",
  });
  const create = api.testCase.create.useMutation({
    onSuccess: async (test) => {
      toast.success(`Test “${test.name}” added`);
      await utils.testSuite.list.invalidate({ organizationId, projectId });
    },
    onError: (error) => reportError(error, { form }),
  });
  const importSuite = api.testSuite.import.useMutation({
    onSuccess: async (result) => {
      toast.success(`Imported ${result.tests} tests`);
      await utils.testSuite.list.invalidate({ organizationId, projectId });
    },
    onError: (error) => reportError(error),
  });
  const [importText, setImportText] = useState("");
  const [importFormat, setImportFormat] = useState<"json" | "yaml">("yaml");
  const fromForm = () => {
    const assertions: unknown[] = [{ type: "status", equals: Number(quick.status) || 200 }];
    if (quick.contains)
      assertions.push({ type: "body", expect: { operator: "contains", value: quick.contains } });
    form.setValue("format", "json");
    form.setValue(
      "text",
      JSON.stringify(
        {
          kind: "http",
          name: quick.name || `${quick.method} ${quick.url}`,
          steps: [{ method: quick.method, url: quick.url, assertions }],
        },
        null,
        2,
      ),
    );
  };
  if (!suites.length) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a test</CardTitle>
        <CardDescription>
          Fill in the form or write the definition as JSON or YAML; both are checked by the same
          schema.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex items-center gap-2">
          <Label htmlFor="editor-suite">Suite</Label>
          <select
            id="editor-suite"
            className="h-9 rounded-md border bg-background px-2 text-sm"
            value={suiteId}
            onChange={(event) => {
              setSuiteId(event.target.value);
              form.setValue("suiteId", event.target.value);
            }}
          >
            {suites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <Tabs defaultValue="form">
          <TabsList>
            <TabsTrigger value="form">Form</TabsTrigger>
            <TabsTrigger value="editor">JSON / YAML</TabsTrigger>
            <TabsTrigger value="import">Import a suite</TabsTrigger>
          </TabsList>
          <TabsContent value="form" className="grid gap-3 sm:grid-cols-5">
            {(
              [
                ["name", "Name"],
                ["method", "Method"],
                ["url", "URL or path"],
                ["status", "Expected status"],
                ["contains", "Body contains"],
              ] as const
            ).map(([key, label]) => (
              <div key={key} className="grid gap-1">
                <Label htmlFor={`quick-${key}`}>{label}</Label>
                <Input
                  id={`quick-${key}`}
                  value={quick[key]}
                  onChange={(e) => setQuick({ ...quick, [key]: e.target.value })}
                />
              </div>
            ))}
            <div className="sm:col-span-5">
              <Button variant="outline" onClick={fromForm}>
                Write the definition
              </Button>
            </div>
          </TabsContent>
          <TabsContent value="editor" />
          <TabsContent value="import" className="grid gap-2">
            <select
              aria-label="Import format"
              className="h-9 w-32 rounded-md border bg-background px-2 text-sm"
              value={importFormat}
              onChange={(e) => setImportFormat(e.target.value === "json" ? "json" : "yaml")}
            >
              <option value="yaml">YAML</option>
              <option value="json">JSON</option>
            </select>
            <Textarea
              aria-label="Suite document"
              rows={8}
              className="font-mono text-xs"
              value={importText}
              onChange={(e) => setImportText(e.target.value)}
            />
            <div>
              <Button
                loading={importSuite.isPending}
                disabled={importText.length < 2}
                onClick={() =>
                  importSuite.mutate({
                    organizationId,
                    projectId,
                    format: importFormat,
                    text: importText,
                  })
                }
              >
                Import as a new suite
              </Button>
            </div>
          </TabsContent>
        </Tabs>
        <Form {...form}>
          <form
            aria-label="Test definition"
            className="grid gap-3"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) =>
                create.mutate({ organizationId, ...values, suiteId }),
              )(event)
            }
          >
            <Label htmlFor="definition">Definition ({form.watch("format").toUpperCase()})</Label>
            <Textarea
              id="definition"
              rows={12}
              className="font-mono text-xs"
              {...form.register("text")}
            />
            <div className="flex gap-2">
              <select
                aria-label="Format"
                className="h-9 rounded-md border bg-background px-2 text-sm"
                {...form.register("format")}
              >
                <option value="json">JSON</option>
                <option value="yaml">YAML</option>
              </select>
              <Button type="submit" loading={create.isPending}>
                Add test
              </Button>
            </div>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}

function EnvironmentsCard({
  organizationId,
  projectId,
  environments,
  canDelete,
}: {
  organizationId: string;
  projectId: string;
  environments: Environments;
  canDelete: boolean;
}) {
  const utils = api.useUtils();
  const refresh = () => utils.testEnvironment.list.invalidate({ organizationId, projectId });
  const defaults = { projectId, name: "", variables: [], secrets: [] };
  const form = useContractForm("createEnvironmentInput", { defaultValues: defaults });
  const variables = useFieldArray({ control: form.control, name: "variables" });
  const secrets = useFieldArray({ control: form.control, name: "secrets" });
  const create = api.testEnvironment.create.useMutation({
    onSuccess: async (env) => {
      form.reset(defaults);
      toast.success(
        `Environment “${env.name}” created; its secrets are stored and will not be shown again`,
      );
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const remove = api.testEnvironment.delete.useMutation({
    onSuccess: refresh,
    onError: (e) => reportError(e),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Environments</CardTitle>
        <CardDescription>
          Base URL, variables and secrets. Secrets are write-only: kept in the vault, masked as
          [secret] in results and logs.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <ul className="grid gap-2 text-sm">
          {environments.map((env) => (
            <li key={env.id} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{env.name}</span>
              <span className="text-muted-foreground">{env.baseUrl ?? "no base URL"}</span>
              {env.variables.map((v) => (
                <Badge key={v.name} variant="secondary">
                  {v.name}={v.value}
                </Badge>
              ))}
              {env.secretNames.map((name) => (
                <Badge key={name} variant="outline">
                  {name}=••••
                </Badge>
              ))}
              {canDelete ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Delete ${env.name}`}
                  onClick={() => remove.mutate({ organizationId, environmentId: env.id })}
                >
                  <Trash2 aria-hidden="true" />
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <Form {...form}>
          <form
            aria-label="New environment"
            className="grid gap-3"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => create.mutate({ organizationId, ...values }))(
                event,
              )
            }
          >
            <div className="grid gap-3 sm:grid-cols-2">
              <InputField control={form.control} name="name" label="Name" placeholder="Staging" />
              <InputField
                control={form.control}
                name="baseUrl"
                label="Base URL"
                placeholder="https://staging.example.com"
              />
            </div>
            {variables.fields.map((field, index) => (
              <div key={field.id} className="grid gap-2 sm:grid-cols-2">
                <Input
                  aria-label={`Variable ${index + 1} name`}
                  placeholder="NAME"
                  {...form.register(`variables.${index}.name`)}
                />
                <Input
                  aria-label={`Variable ${index + 1} value`}
                  placeholder="value"
                  {...form.register(`variables.${index}.value`)}
                />
              </div>
            ))}
            {secrets.fields.map((field, index) => (
              <div key={field.id} className="grid gap-2 sm:grid-cols-2">
                <Input
                  aria-label={`Secret ${index + 1} name`}
                  placeholder="API_TOKEN"
                  {...form.register(`secrets.${index}.name`)}
                />
                <Input
                  aria-label={`Secret ${index + 1} value`}
                  type="password"
                  autoComplete="off"
                  placeholder="shown once, never again"
                  {...form.register(`secrets.${index}.value`)}
                />
              </div>
            ))}
            <div className="flex flex-wrap gap-2">
              <Button
                type="button"
                variant="outline"
                onClick={() => variables.append({ name: "", value: "" })}
              >
                Add variable
              </Button>
              <Button
                type="button"
                variant="outline"
                onClick={() => secrets.append({ name: "", value: "" })}
              >
                Add secret
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create environment
              </Button>
            </div>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}

function WatchersCard({
  organizationId,
  projectId,
  initial,
}: {
  organizationId: string;
  projectId: string;
  initial: Watchers;
}) {
  const utils = api.useUtils();
  const watchers = api.testWatcher.list.useQuery(
    { organizationId, projectId },
    { initialData: initial },
  );
  const refresh = () => utils.testWatcher.list.invalidate({ organizationId, projectId });
  const form = useContractForm("addWatcherInput", { defaultValues: { projectId, email: "" } });
  const add = api.testWatcher.add.useMutation({
    onSuccess: async () => {
      form.reset({ projectId, email: "" });
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const remove = api.testWatcher.remove.useMutation({
    onSuccess: refresh,
    onError: (e) => reportError(e),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Watchers</CardTitle>
        <CardDescription>Emailed when a run of this project fails.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <ul className="grid gap-1 text-sm">
          {watchers.data.map((w) => (
            <li key={w.id} className="flex items-center gap-2">
              {w.email}
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove ${w.email}`}
                onClick={() => remove.mutate({ organizationId, watcherId: w.id })}
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
        <Form {...form}>
          <form
            aria-label="Add a watcher"
            className="flex flex-col gap-3 sm:flex-row sm:items-start"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => add.mutate({ organizationId, ...values }))(event)
            }
          >
            <InputField
              control={form.control}
              name="email"
              label="Email"
              type="email"
              className="flex-1"
            />
            <Button type="submit" loading={add.isPending} className="sm:mt-[1.375rem]">
              Add watcher
            </Button>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}
