"use client";
// Webhooks: endpoints (URL, events, on/off, send a test event, rotate the signing secret,
// delete), the signing secret shown once with a copy button, and the delivery log (by status
// and endpoint, in pages) with the response of the last attempt and replay.
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Checkbox } from "@plinth/ui/checkbox";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@plinth/ui/dialog";
import { Form, InputField } from "@plinth/ui/form";
import { formatDateTime, formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { NextLabel, Pagination, PaginationLink, PreviousLabel } from "@plinth/ui/pagination";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

type Endpoint = RouterOutputs["webhook"]["list"][number];
type EventType = RouterOutputs["webhook"]["eventTypes"][number];
type Deliveries = RouterOutputs["webhook"]["deliveries"];
type Delivery = Deliveries["items"][number];
type Status = Delivery["status"];

const PAGE_SIZE = 20;
const STATUS_FILTERS: { label: string; status: Status | null }[] = [
  { label: "All", status: null },
  { label: "Pending", status: "pending" },
  { label: "Succeeded", status: "succeeded" },
  { label: "Failed", status: "failed" },
];
const STATUS_BADGE = { pending: "info", succeeded: "success", failed: "destructive" } as const;

export function WebhooksView(props: {
  organizationId: string;
  initialEndpoints: Endpoint[];
  eventTypes: EventType[];
  initialDeliveries: Deliveries;
}) {
  const { organizationId } = props;
  const utils = trpc.useUtils();
  const endpoints = trpc.webhook.list.useQuery(
    { organizationId },
    { initialData: props.initialEndpoints },
  );
  const [shown, setShown] = useState<{ secret: string; url: string } | null>(null);
  const [detail, setDetail] = useState<Delivery | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [endpointFilter, setEndpointFilter] = useState<Endpoint | null>(null);
  // Cursors of the pages before this one (cursor pagination: newest first).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const firstPage = status === null && endpointFilter === null && cursor === null;
  const deliveries = trpc.webhook.deliveries.useQuery(
    { organizationId, limit: PAGE_SIZE, status, endpointId: endpointFilter?.id ?? null, cursor },
    firstPage ? { initialData: props.initialDeliveries } : {},
  );
  const refresh = async () => {
    await Promise.all([utils.webhook.list.invalidate(), utils.webhook.deliveries.invalidate()]);
  };
  const filter = (next: { status?: Status | null; endpoint?: Endpoint | null }) => {
    if (next.status !== undefined) setStatus(next.status);
    if (next.endpoint !== undefined) setEndpointFilter(next.endpoint);
    setCursors([null]);
  };

  const form = useContractForm("createWebhookEndpointInput", {
    defaultValues: { url: "", description: "", eventTypes: [] },
  });
  const create = trpc.webhook.create.useMutation({
    onSuccess: async (created) => {
      form.reset();
      setShown({ secret: created.signingSecret, url: created.endpoint.url });
      await refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  const update = trpc.webhook.update.useMutation({
    onSuccess: async (endpoint) => {
      toast.success(endpoint.enabled ? "Endpoint enabled" : "Endpoint disabled");
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const remove = trpc.webhook.delete.useMutation({
    onSuccess: async () => {
      toast.success("Endpoint deleted");
      if (endpointFilter) filter({ endpoint: null });
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const rotate = trpc.webhook.rotateSecret.useMutation({
    onSuccess: async (rotated) => {
      setShown({ secret: rotated.signingSecret, url: rotated.endpoint.url });
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const sendTest = trpc.webhook.sendTest.useMutation({
    onSuccess: async () => {
      toast.success("Test event queued: see the delivery log");
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const replay = trpc.webhook.replay.useMutation({
    onSuccess: async () => {
      toast.success("Delivery queued again");
      await refresh();
    },
    onError: (error) => reportError(error),
  });
  const selected = form.watch("eventTypes");
  const page = deliveries.data ?? { items: [], nextCursor: null };

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Webhooks"
        description="Signed HTTP callbacks (Standard Webhooks) to your servers when things happen."
      />
      <Card>
        <CardHeader>
          <CardTitle>New endpoint</CardTitle>
          <CardDescription>
            Its signing secret is shown once, right after you create it (or rotate it).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Form {...form}>
            <form
              aria-label="New webhook endpoint"
              className="grid gap-4"
              noValidate
              onSubmit={(event) =>
                void form.handleSubmit((values) => create.mutate({ organizationId, ...values }))(
                  event,
                )
              }
            >
              <InputField
                control={form.control}
                name="url"
                label="URL"
                type="url"
                placeholder="https://example.com/webhooks/plinth"
                maxLength={2048}
              />
              <InputField
                control={form.control}
                name="description"
                label="Description (optional)"
                maxLength={500}
              />
              <fieldset className="grid gap-2">
                <legend className="mb-1 text-sm font-medium">Events</legend>
                {props.eventTypes.map((event) => (
                  <label key={event.type} className="flex items-center gap-2 text-sm">
                    <Checkbox
                      checked={selected.includes(event.type)}
                      onCheckedChange={(checked) =>
                        form.setValue(
                          "eventTypes",
                          checked
                            ? [...selected, event.type]
                            : selected.filter((type) => type !== event.type),
                        )
                      }
                    />
                    <code>{event.type}</code>
                    <span className="text-muted-foreground">{event.description}</span>
                  </label>
                ))}
                {form.formState.errors.eventTypes ? (
                  <p className="text-sm text-destructive">Choose at least one event</p>
                ) : null}
              </fieldset>
              <div>
                <Button type="submit" loading={create.isPending}>
                  Add endpoint
                </Button>
              </div>
            </form>
          </Form>
        </CardContent>
      </Card>

      <Card className="py-0">
        <Table aria-label="Webhook endpoints">
          <TableHeader>
            <TableRow>
              <TableHead>Endpoint</TableHead>
              <TableHead>Events</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Secret set</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(endpoints.data ?? []).length === 0 ? (
              <TableEmpty colSpan={5}>No webhook endpoints yet.</TableEmpty>
            ) : (
              (endpoints.data ?? []).map((endpoint) => (
                <TableRow key={endpoint.id}>
                  <TableCell className="max-w-xs">
                    <code className="break-all text-xs">{endpoint.url}</code>
                    {endpoint.description ? (
                      <div className="text-muted-foreground text-xs">{endpoint.description}</div>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-xs">{endpoint.eventTypes.join(", ")}</TableCell>
                  <TableCell>
                    <Badge variant={endpoint.enabled ? "success" : "secondary"}>
                      {endpoint.enabled ? "enabled" : "disabled"}
                    </Badge>
                    {endpoint.disabledReason ? (
                      <div className="text-muted-foreground text-xs">{endpoint.disabledReason}</div>
                    ) : null}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {formatDay(endpoint.rotatedAt)}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-2">
                      <Button
                        size="sm"
                        variant="outline"
                        loading={
                          sendTest.isPending && sendTest.variables.endpointId === endpoint.id
                        }
                        onClick={() => sendTest.mutate({ organizationId, endpointId: endpoint.id })}
                      >
                        Send test
                      </Button>
                      <Button size="sm" variant="outline" onClick={() => filter({ endpoint })}>
                        Deliveries
                      </Button>
                      <Button
                        size="sm"
                        variant="outline"
                        onClick={() =>
                          update.mutate({
                            organizationId,
                            endpointId: endpoint.id,
                            enabled: !endpoint.enabled,
                          })
                        }
                      >
                        {endpoint.enabled ? "Disable" : "Enable"}
                      </Button>
                      <ConfirmDialog
                        trigger={
                          <Button size="sm" variant="outline">
                            Rotate secret
                          </Button>
                        }
                        destructive={false}
                        title="Rotate the signing secret?"
                        description="Deliveries are signed with the new secret from now on; the old one stops verifying."
                        confirmLabel="Rotate"
                        onConfirm={() =>
                          rotate.mutateAsync({ organizationId, endpointId: endpoint.id })
                        }
                      />
                      <ConfirmDialog
                        trigger={
                          <Button size="sm" variant="destructive">
                            Delete
                          </Button>
                        }
                        title="Delete this endpoint?"
                        description="It receives nothing more; its delivery log is deleted with it."
                        confirmLabel="Delete"
                        onConfirm={() =>
                          remove.mutateAsync({ organizationId, endpointId: endpoint.id })
                        }
                      />
                    </div>
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Delivery log</CardTitle>
          <CardDescription>
            Failed attempts are retried for about a day (5 s, 30 s, 2 min, 10 min, 1 h, 6 h, 16 h);
            a 410 Gone answer disables the endpoint.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Status">
            {STATUS_FILTERS.map((choice) => (
              <Button
                key={choice.label}
                type="button"
                size="sm"
                variant={status === choice.status ? "default" : "outline"}
                aria-pressed={status === choice.status}
                onClick={() => filter({ status: choice.status })}
              >
                {choice.label}
              </Button>
            ))}
            {endpointFilter ? (
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => filter({ endpoint: null })}
              >
                Only {endpointFilter.url} ✕
              </Button>
            ) : null}
          </div>
          <Table aria-label="Webhook deliveries">
            <TableHeader>
              <TableRow>
                <TableHead>Created</TableHead>
                <TableHead>Event</TableHead>
                <TableHead>Endpoint</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Response</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.items.length === 0 ? (
                <TableEmpty colSpan={6}>No deliveries.</TableEmpty>
              ) : (
                page.items.map((delivery) => (
                  <TableRow key={delivery.id}>
                    <TableCell className="whitespace-nowrap">
                      {formatDateTime(delivery.createdAt)}
                      {delivery.replayOfId ? (
                        <div className="text-muted-foreground text-xs">replay</div>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <code className="text-xs">{delivery.eventType}</code>
                    </TableCell>
                    <TableCell className="max-w-48 truncate text-xs">
                      {delivery.endpointUrl}
                    </TableCell>
                    <TableCell>
                      <Badge variant={STATUS_BADGE[delivery.status]}>{delivery.status}</Badge>
                      <div className="text-muted-foreground text-xs">
                        {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
                      </div>
                      {delivery.nextAttemptAt ? (
                        <div className="text-muted-foreground text-xs">
                          next {formatDateTime(delivery.nextAttemptAt)}
                        </div>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-xs">
                      {delivery.responseStatus ?? (delivery.error ? "error" : "—")}
                      {delivery.durationMs !== null ? ` · ${delivery.durationMs} ms` : ""}
                    </TableCell>
                    <TableCell>
                      <div className="flex gap-2">
                        <Button size="sm" variant="outline" onClick={() => setDetail(delivery)}>
                          Details
                        </Button>
                        <Button
                          size="sm"
                          variant="outline"
                          disabled={delivery.status === "pending"}
                          loading={replay.isPending && replay.variables.deliveryId === delivery.id}
                          onClick={() => replay.mutate({ organizationId, deliveryId: delivery.id })}
                        >
                          Replay
                        </Button>
                      </div>
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
          {cursors.length > 1 || page.nextCursor ? (
            <Pagination>
              <PaginationLink
                disabled={cursors.length <= 1}
                onClick={() => setCursors((all) => all.slice(0, -1))}
              >
                <PreviousLabel>Newer</PreviousLabel>
              </PaginationLink>
              <PaginationLink
                disabled={!page.nextCursor}
                onClick={() => setCursors((all) => [...all, page.nextCursor])}
              >
                <NextLabel>Older</NextLabel>
              </PaginationLink>
            </Pagination>
          ) : null}
        </CardContent>
      </Card>

      <Dialog open={detail !== null} onOpenChange={(open) => (open ? null : setDetail(null))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delivery of {detail?.eventType}</DialogTitle>
            <DialogDescription>
              Event {detail?.eventId} (the <code>webhook-id</code> header) to {detail?.endpointUrl}
            </DialogDescription>
          </DialogHeader>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Status</dt>
            <dd>{detail?.status}</dd>
            <dt className="text-muted-foreground">Attempts</dt>
            <dd>{detail?.attempts}</dd>
            <dt className="text-muted-foreground">Last attempt</dt>
            <dd>{detail?.lastAttemptAt ? formatDateTime(detail.lastAttemptAt) : "—"}</dd>
            <dt className="text-muted-foreground">Response</dt>
            <dd>{detail?.responseStatus ?? "—"}</dd>
            <dt className="text-muted-foreground">Error</dt>
            <dd>{detail?.error ?? "—"}</dd>
          </dl>
          {detail?.responseBody ? (
            <pre className="max-h-64 overflow-auto rounded-md border bg-muted p-3 text-xs whitespace-pre-wrap break-all">
              {detail.responseBody}
            </pre>
          ) : null}
        </DialogContent>
      </Dialog>

      <Dialog open={shown !== null} onOpenChange={(open) => (open ? null : setShown(null))}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Signing secret</DialogTitle>
            <DialogDescription>
              For {shown?.url}. Copy it now: it is kept encrypted and cannot be shown again.
            </DialogDescription>
          </DialogHeader>
          <code className="break-all rounded-md border bg-muted p-3 text-sm">{shown?.secret}</code>
          <DialogFooter>
            <Button
              type="button"
              onClick={() => {
                if (!shown) return;
                navigator.clipboard.writeText(shown.secret).then(
                  () => toast.success("Secret copied"),
                  () => toast.error("Could not copy: select the secret and copy it by hand"),
                );
              }}
            >
              Copy secret
            </Button>
            <Button type="button" variant="outline" onClick={() => setShown(null)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
