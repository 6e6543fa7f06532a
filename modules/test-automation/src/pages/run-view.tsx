"use client";
// One test run, live: status and progress polled every second while it runs, the log lines
// as the worker writes them, every test's result (open one for its attempts, steps,
// assertions with expected and actual, the HTTP exchange and screenshot links), cancel, and
// the JUnit XML report.
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardAction, CardContent, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Progress } from "@plinth/ui/progress";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { reportError } from "@plinth/web-kit/feedback";
import { TEST_RUN_STATUS } from "./tests-view.tsx";
import type { TestAutomationOutputs } from "../trpc.ts";
import { api } from "./api.ts";

type Run = TestAutomationOutputs["testRun"]["get"];

const RESULT = {
  PASS: { label: "pass", variant: "success" },
  FAIL: { label: "fail", variant: "destructive" },
  ERROR: { label: "error", variant: "destructive" },
  SKIPPED: { label: "skipped", variant: "secondary" },
  FLAKY: { label: "flaky", variant: "warning" },
} as const;

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

export function RunView({
  organizationId,
  slug,
  initial,
}: {
  organizationId: string;
  slug: string;
  initial: Run;
}) {
  const utils = api.useUtils();
  const input = { organizationId, testRunId: initial.id };
  const run = api.testRun.get.useQuery(input, {
    initialData: initial,
    refetchInterval: (query) =>
      query.state.data && !ACTIVE.has(query.state.data.status) ? false : 1000,
  });
  const cancel = api.testRun.cancel.useMutation({
    onSuccess: () => utils.testRun.get.invalidate(input),
    onError: (error) => reportError(error),
  });
  const [open, setOpen] = useState<string | null>(null);
  const data = run.data;
  const status = TEST_RUN_STATUS[data.status];
  const junit = () =>
    void utils.testRun.junit
      .fetch(input)
      .then(({ xml }) => {
        const url = URL.createObjectURL(new Blob([xml], { type: "application/xml" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = `junit-${data.id}.xml`;
        a.click();
        URL.revokeObjectURL(url);
      })
      .catch((error: unknown) => reportError(error as never));
  return (
    <div className="grid gap-6">
      <PageHeader
        title={`${data.suiteName} on ${data.environmentName}`}
        description={`${data.trigger.toLowerCase()} run${data.reference ? ` · ${data.reference}` : ""} · ${formatDateTime(data.createdAt)}`}
      />
      <p>
        <Link className="text-sm underline-offset-4 hover:underline" href={`/o/${slug}/tests`}>
          ← All tests
        </Link>
      </p>
      <Card aria-label="Run summary" data-status={data.status}>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Run <Badge variant={status.variant}>{status.label}</Badge>
          </CardTitle>
          <CardAction className="flex gap-2">
            {ACTIVE.has(data.status) ? (
              <Button
                variant="outline"
                size="sm"
                disabled={cancel.isPending || data.cancelRequested}
                onClick={() => cancel.mutate(input)}
              >
                {data.cancelRequested ? "Canceling…" : "Cancel"}
              </Button>
            ) : (
              <Button variant="outline" size="sm" onClick={junit}>
                JUnit XML
              </Button>
            )}
          </CardAction>
        </CardHeader>
        <CardContent className="grid gap-3">
          <div className="flex items-center gap-3">
            <Progress value={data.progress} aria-label="Progress" />
            <span className="w-10 text-right text-sm tabular-nums text-muted-foreground">
              {data.progress}%
            </span>
          </div>
          <p className="text-sm">
            {data.passed} passed · {data.failed} failed · {data.errored} errored · {data.skipped}{" "}
            skipped · {data.flaky} flaky
            {data.durationMs !== null ? ` · ${(data.durationMs / 1000).toFixed(1)} s` : ""}
          </p>
          {data.error ? <p className="text-sm text-destructive">{data.error}</p> : null}
          <div
            role="log"
            aria-label="Log"
            tabIndex={0}
            className="max-h-72 overflow-auto rounded-md bg-muted p-3 text-xs"
          >
            <pre>{data.logs.map((line) => `${line.message}\n`).join("")}</pre>
          </div>
        </CardContent>
      </Card>
      <Card className="py-0">
        <Table aria-label="Results">
          <TableHeader>
            <TableRow>
              <TableHead>Test</TableHead>
              <TableHead>Result</TableHead>
              <TableHead className="text-right">Attempts</TableHead>
              <TableHead className="text-right">Duration</TableHead>
              <TableHead>Why</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.results.map((result) => (
              <TableRow key={result.id}>
                <TableCell>
                  <Button
                    variant="link"
                    onClick={() => setOpen(open === result.id ? null : result.id)}
                  >
                    {result.name}
                  </Button>
                </TableCell>
                <TableCell>
                  <Badge variant={RESULT[result.status].variant}>
                    {RESULT[result.status].label}
                  </Badge>
                </TableCell>
                <TableCell className="text-right tabular-nums">{result.attempts}</TableCell>
                <TableCell className="text-right tabular-nums">{result.durationMs} ms</TableCell>
                <TableCell className="max-w-md truncate text-muted-foreground">
                  {result.error ?? ""}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      {open ? <ResultDetail organizationId={organizationId} testResultId={open} /> : null}
    </div>
  );
}

function ResultDetail({
  organizationId,
  testResultId,
}: {
  organizationId: string;
  testResultId: string;
}) {
  const result = api.testRun.result.useQuery({ organizationId, testResultId });
  if (!result.data) return null;
  const attempts = result.data.detail?.attempts ?? [];
  return (
    <Card aria-label={`Result ${result.data.name}`}>
      <CardHeader>
        <CardTitle>{result.data.name}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        {result.data.artifacts.length ? (
          <ul className="flex flex-wrap gap-3 text-sm">
            {result.data.artifacts.map((artifact) => (
              <li key={artifact.url}>
                <a className="underline" href={artifact.url} target="_blank" rel="noreferrer">
                  Screenshot: {artifact.label} (attempt {artifact.attempt})
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <div
          role="region"
          aria-label="Attempts"
          tabIndex={0}
          className="max-h-[32rem] overflow-auto rounded-md bg-muted p-3 text-xs"
        >
          <pre>{JSON.stringify(attempts, null, 2)}</pre>
        </div>
      </CardContent>
    </Card>
  );
}
