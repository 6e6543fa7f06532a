"use client";
// One workspace: its state, what the provider created (never a password), resize / upgrade /
// destroy, Retry of a failed one's last operation (admins and owners), its custom domains (./domains-card.tsx), and its runs with each step's output (init → plan → apply | destroy), polled live
// while a run is in progress.
import dynamic from "next/dynamic";
import Link from "next/link";
import { useState } from "react";
import { HOSTING_APPS } from "../contract.ts";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { toast } from "@plinth/ui/toaster";
import { upgradeOfferOf, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { reportError } from "@plinth/web-kit/feedback";
import { StateBadge } from "./state-badge.tsx";
import { DomainsCard } from "./domains-card.tsx";
import type { HostingOutputs } from "../trpc.ts";
import { api } from "./api.ts";

const ConfirmDialog = dynamic(
  () => import("@plinth/ui/confirm-dialog").then((m) => m.ConfirmDialog),
  { ssr: false },
);
const UpgradeDialog = dynamic(
  () => import("@plinth/ui/upgrade-dialog").then((m) => m.UpgradeDialog),
  { ssr: false },
);

type Workspace = HostingOutputs["workspace"]["get"];

const STEP_VARIANT = { RUNNING: "info", SUCCEEDED: "success", FAILED: "destructive" } as const;

export function WorkspaceView({
  organizationId,
  slug,
  planName,
  canRetry,
  initial,
}: {
  organizationId: string;
  slug: string;
  planName: string;
  /** Admins and owners (the procedure checks it again). */
  canRetry: boolean;
  initial: Workspace;
}) {
  const input = { organizationId, workspaceId: initial.id };
  const workspace = api.workspace.get.useQuery(input, {
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.busy ? 1_000 : false),
  }).data;
  const utils = api.useUtils();
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refresh = () => utils.workspace.get.invalidate(input);
  const onError = (error: Parameters<typeof reportError>[0]) =>
    reportError(error, { onRefusal: setRefusal });
  const update = api.workspace.update.useMutation({
    onSuccess: async () => {
      toast.success("Update started");
      await refresh();
    },
    onError,
  });
  const destroy = api.workspace.destroy.useMutation({
    onSuccess: async () => {
      toast.success("Destroy started");
      setConfirming(false);
      await refresh();
    },
    onError,
  });
  const retry = api.workspace.retry.useMutation({
    onSuccess: async () => {
      toast.success("Retry started");
      await refresh();
    },
    onError,
  });
  const app = HOSTING_APPS.find((candidate) => candidate.key === workspace.app);
  const changeable =
    !workspace.busy && (workspace.state === "READY" || workspace.state === "FAILED");

  return (
    <div className="grid gap-6">
      <PageHeader
        title={workspace.name}
        description={`${app?.name ?? workspace.app} ${workspace.version} · ${workspace.size} · ${workspace.region}`}
      />
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            State <StateBadge state={workspace.state} />
          </CardTitle>
          <CardDescription>
            Requested {formatDay(workspace.createdAt)} ·{" "}
            <Link className="underline-offset-4 hover:underline" href={`/o/${slug}/workspaces`}>
              All workspaces
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {workspace.state === "FAILED" ? (
            <div className="flex flex-wrap items-center gap-3">
              <p className="text-sm text-destructive">
                Failed at {workspace.failedStep}: {workspace.error}
              </p>
              {canRetry ? (
                <Button
                  variant="outline"
                  size="sm"
                  loading={retry.isPending}
                  disabled={workspace.busy}
                  onClick={() => retry.mutate(input)}
                >
                  Retry
                </Button>
              ) : null}
            </div>
          ) : null}
          {Object.keys(workspace.outputs).length ? (
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              {Object.entries(workspace.outputs).map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="text-muted-foreground">{key}</dt>
                  <dd className="font-mono">{String(value)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid gap-1">
              <span className="text-sm text-muted-foreground">Size</span>
              <Select
                value={workspace.size}
                disabled={!changeable || update.isPending}
                onValueChange={(size) => update.mutate({ ...input, size })}
              >
                <SelectTrigger aria-label="Size">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {app?.sizes.map((size) => (
                    <SelectItem key={size.key} value={size.key}>
                      {size.label}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <div className="grid gap-1">
              <span className="text-sm text-muted-foreground">Version</span>
              <Select
                value={workspace.version}
                disabled={!changeable || update.isPending}
                onValueChange={(version) => update.mutate({ ...input, version })}
              >
                <SelectTrigger aria-label="Version">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {app?.versions.map((version) => (
                    <SelectItem key={version} value={version}>
                      {version}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <Button
              variant="destructive"
              disabled={workspace.busy || workspace.state === "DESTROYED"}
              onClick={() => setConfirming(true)}
            >
              Destroy
            </Button>
          </div>
        </CardContent>
      </Card>

      <DomainsCard
        organizationId={organizationId}
        workspaceId={workspace.id}
        destroyed={workspace.state === "DESTROYED" || workspace.state === "DESTROYING"}
      />

      {workspace.runs.map((run) => (
        <Card key={run.id}>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              {run.action.charAt(0) + run.action.slice(1).toLowerCase()}
              <Badge
                variant={
                  run.status === "FAILED"
                    ? "destructive"
                    : run.status === "SUCCEEDED"
                      ? "success"
                      : "info"
                }
              >
                {run.status.toLowerCase()}
              </Badge>
            </CardTitle>
            <CardDescription>
              Run {run.runId} · {formatDay(run.createdAt)}
              {run.error ? ` · ${run.error}` : ""}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            {run.steps.length === 0 ? (
              <p className="text-sm text-muted-foreground">Waiting for the worker…</p>
            ) : null}
            {run.steps.map((step) => (
              <section key={step.name} aria-label={`Step ${step.name}`} className="grid gap-1">
                <h3 className="flex items-center gap-2 text-sm font-medium">
                  {step.name}
                  <Badge variant={STEP_VARIANT[step.status]}>{step.status.toLowerCase()}</Badge>
                  {step.attempts > 1 ? (
                    <span className="text-xs text-muted-foreground">attempt {step.attempts}</span>
                  ) : null}
                </h3>
                <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs whitespace-pre-wrap">
                  {step.output || "…"}
                </pre>
              </section>
            ))}
          </CardContent>
        </Card>
      ))}

      {confirming ? (
        <ConfirmDialog
          open
          onOpenChange={setConfirming}
          title={`Destroy ${workspace.name}?`}
          description="Its database and everything in it are dropped. This cannot be undone."
          confirmLabel="Destroy workspace"
          onConfirm={() => destroy.mutateAsync(input)}
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
