"use client";
// "Download my data" (account page) and the organization export (settings): every module's
// part as one JSON file, built by services/personal-data.ts and saved in the browser.
import { Button } from "@plinth/ui/button";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "~/trpc/feedback.ts";
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

export function DownloadMyData() {
  const exportData = trpc.account.exportData.useMutation({
    onSuccess: (data) => {
      saveJson(`plinth-my-data-${today()}.json`, data);
      toast.success("Your data was downloaded");
    },
    onError: (error) => reportError(error),
  });
  return (
    <Button variant="outline" disabled={exportData.isPending} onClick={() => exportData.mutate()}>
      {exportData.isPending ? "Preparing…" : "Download my data"}
    </Button>
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
