"use client";
// The detailed call log: filters (key, endpoint, status, time range) validated with the
// procedure's own contract, cursor pagination, CSV export of the filtered log.
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent } from "@plinth/ui/card";
import { Form } from "@plinth/ui/form";
import { formatCount } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { toast } from "@plinth/ui/toaster";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import type { ApiCatalogInputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";
import { formatMicroCents } from "./format.ts";

type Filters = Omit<ApiCatalogInputs["apis"]["usageLog"], "organizationId" | "cursor">;

const SELECT =
  "h-9 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50";

export function LogView(props: {
  organizationId: string;
  slug: string;
  keys: { id: string; label: string }[];
  routes: string[];
}) {
  const { organizationId } = props;
  const [filters, setFilters] = useState<Filters>({ limit: 50 });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const log = api.apis.usageLog.useQuery({
    organizationId,
    ...filters,
    ...(cursor ? { cursor } : {}),
  });
  const utils = api.useUtils();
  const [exporting, setExporting] = useState(false);
  const form = useContractForm("usageLogInput", { defaultValues: { limit: 50 } });

  async function exportCsv() {
    setExporting(true);
    try {
      const file = await utils.apis.usageCsv.fetch({ organizationId, ...filters });
      const url = URL.createObjectURL(new Blob([file.csv], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = file.filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch {
      toast.error("The export failed; try again.");
    } finally {
      setExporting(false);
    }
  }

  return (
    <div className="grid gap-6">
      <PageHeader
        title="API call log"
        description="Every call, newest first."
        actions={
          <>
            <Link
              className="text-sm underline underline-offset-4"
              href={`/o/${props.slug}/apis/usage`}
            >
              Usage summary
            </Link>
            <Button variant="outline" onClick={() => void exportCsv()} disabled={exporting}>
              {exporting ? "Exporting…" : "Export CSV"}
            </Button>
          </>
        }
      />
      <Form {...form}>
        <form
          className="flex flex-wrap items-end gap-3"
          aria-label="Filter the log"
          onSubmit={(event) =>
            void form.handleSubmit((values) => {
              setCursors([]);
              setFilters({
                limit: values.limit,
                ...(values.apiKeyId ? { apiKeyId: values.apiKeyId } : {}),
                ...(values.route ? { route: values.route } : {}),
                ...(values.status ? { status: values.status } : {}),
                ...(values.from ? { from: values.from } : {}),
                ...(values.to ? { to: values.to } : {}),
              });
            })(event)
          }
        >
          <label className="grid gap-1 text-sm">
            Key
            <select
              className={SELECT}
              {...form.register("apiKeyId", { setValueAs: (v: string) => v || undefined })}
            >
              <option value="">All keys</option>
              {props.keys.map((key) => (
                <option key={key.id} value={key.id}>
                  {key.label}
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1 text-sm">
            Endpoint
            <select
              className={SELECT}
              {...form.register("route", { setValueAs: (v: string) => v || undefined })}
            >
              <option value="">All endpoints</option>
              {props.routes.map((route) => (
                <option key={route} value={route}>
                  {route}
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1 text-sm">
            Status
            <select
              className={SELECT}
              {...form.register("status", { setValueAs: (v: string) => v || undefined })}
            >
              <option value="">Any</option>
              {["2xx", "3xx", "4xx", "5xx"].map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          <label className="grid gap-1 text-sm">
            From
            <input
              type="datetime-local"
              className={SELECT}
              {...form.register("from", {
                setValueAs: (v: string) => (v ? new Date(v) : undefined),
              })}
            />
          </label>
          <label className="grid gap-1 text-sm">
            To
            <input
              type="datetime-local"
              className={SELECT}
              {...form.register("to", { setValueAs: (v: string) => (v ? new Date(v) : undefined) })}
            />
          </label>
          <Button type="submit">Apply</Button>
        </form>
      </Form>
      <Card>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Time (UTC)</TableHead>
                <TableHead>Endpoint</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Latency</TableHead>
                <TableHead className="text-right">Units</TableHead>
                <TableHead className="text-right">Cost</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {log.data?.entries.length === 0 ? (
                <TableEmpty colSpan={6}>No calls match.</TableEmpty>
              ) : (
                log.data?.entries.map((entry) => (
                  <TableRow key={entry.id}>
                    <TableCell className="whitespace-nowrap font-mono text-xs">
                      {entry.occurredAt.toISOString().replace("T", " ").slice(0, 19)}
                    </TableCell>
                    <TableCell className="font-mono text-xs">
                      {entry.method} {entry.route}
                    </TableCell>
                    <TableCell>
                      <Badge
                        variant={
                          entry.status === null
                            ? "outline"
                            : entry.status >= 500
                              ? "destructive"
                              : entry.status >= 400
                                ? "warning"
                                : "success"
                        }
                      >
                        {entry.status ?? "—"}
                      </Badge>
                    </TableCell>
                    <TableCell className="text-right">
                      {entry.latencyMs === null ? "—" : `${entry.latencyMs.toFixed(1)} ms`}
                    </TableCell>
                    <TableCell className="text-right">{formatCount(entry.units)}</TableCell>
                    <TableCell className="text-right">
                      {formatMicroCents(entry.costMicroCents)}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
          <div className="mt-4 flex justify-between">
            <Button
              variant="outline"
              disabled={cursors.length === 0}
              onClick={() => setCursors((list) => list.slice(0, -1))}
            >
              Newer
            </Button>
            <Button
              variant="outline"
              disabled={!log.data?.nextCursor}
              onClick={() => {
                const next = log.data?.nextCursor;
                if (next) setCursors((list) => [...list, next]);
              }}
            >
              Older
            </Button>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
