"use client";
// "Request my data" (account page: a zip built by a job, emailed as an expiring link —
// services/data-exports.ts) and the organization export (settings: every module's part as one
// JSON file, built by services/personal-data.ts and saved in the browser).
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { formatDateTime } from "@plinth/ui/lib/format";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

function saveJson(filename: string, data: unknown) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

const today = () => new Date().toISOString().slice(0, 10);

const STATUS = {
  QUEUED: { label: "Preparing", variant: "info" },
  READY: { label: "Ready", variant: "success" },
  FAILED: { label: "Failed", variant: "destructive" },
  EXPIRED: { label: "Expired", variant: "secondary" },
} as const;

function megabytes(bytes: number) {
  return bytes < 100_000
    ? `${Math.max(1, Math.round(bytes / 1000))} kB`
    : `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * "Request my data": the zip (data.json, recordings, transcripts) is built by a job and its
 * link emailed; the user's recent exports are listed with their link while it is valid.
 */
export function RequestMyData() {
  const utils = trpc.useUtils();
  const exports = trpc.account.dataExports.useQuery(undefined, {
    // While one is being prepared, look again now and then (the job takes seconds).
    refetchInterval: (query) =>
      query.state.data?.some((row) => row.status === "QUEUED") ? 5000 : false,
  });
  const request = trpc.account.requestDataExport.useMutation({
    onSuccess: async () => {
      toast.success("We are preparing your data: we will email you a link when it is ready");
      await utils.account.dataExports.invalidate();
    },
    onError: (error) => reportError(error),
  });
  const pending = exports.data?.some((row) => row.status === "QUEUED") ?? false;
  return (
    <div className="grid gap-4">
      <div>
        <Button
          variant="outline"
          disabled={request.isPending || pending}
          onClick={() => request.mutate()}
        >
          {request.isPending ? "Requesting…" : "Request my data"}
        </Button>
      </div>
      {exports.data && exports.data.length > 0 ? (
        <Table aria-label="Your data exports">
          <TableHeader>
            <TableRow>
              <TableHead>Requested</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Link valid until</TableHead>
              <TableHead className="text-right">Download</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {exports.data.map((row) => (
              <TableRow key={row.id}>
                <TableCell className="whitespace-nowrap">{formatDateTime(row.createdAt)}</TableCell>
                <TableCell>
                  <Badge variant={STATUS[row.status].variant}>{STATUS[row.status].label}</Badge>
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  {row.downloadUrl && row.expiresAt ? formatDateTime(row.expiresAt) : "—"}
                </TableCell>
                <TableCell className="text-right">
                  {row.downloadUrl ? (
                    <Button asChild size="sm" variant="outline">
                      <a href={row.downloadUrl} download>
                        Download{row.sizeBytes ? ` (${megabytes(row.sizeBytes)})` : ""}
                      </a>
                    </Button>
                  ) : (
                    "—"
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </div>
  );
}

export function ExportOrganizationData({
  organizationId,
  slug,
}: {
  organizationId: string;
  slug: string;
}) {
  const exportData = trpc.organization.exportData.useMutation({
    onSuccess: (data) => {
      saveJson(`plinth-${slug}-${today()}.json`, data);
      toast.success("The organization's data was downloaded");
    },
    onError: (error) => reportError(error),
  });
  return (
    <Button
      variant="outline"
      disabled={exportData.isPending}
      onClick={() => exportData.mutate({ organizationId })}
    >
      {exportData.isPending ? "Preparing…" : "Export the organization's data"}
    </Button>
  );
}
