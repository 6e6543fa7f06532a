"use client";
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import { toast } from "@plinth/ui/toaster";
import { trpc } from "~/trpc/react.tsx";

/** Downloads the revenue report by month (CSV). */
export function RevenueCsvButton({ months }: { months: number }) {
  const utils = trpc.useUtils();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const file = await utils.apiCatalog.revenueCsv.fetch({ months });
      const url = URL.createObjectURL(new Blob([file.csv], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = file.filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch {
      toast.error("The report could not be made; try again.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button variant="outline" onClick={() => void download()} disabled={busy}>
      {busy ? "Preparing…" : "Revenue by month (CSV)"}
    </Button>
  );
}
