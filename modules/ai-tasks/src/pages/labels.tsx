// Small shared pieces of the AI pages: status badges, the offline label, money and tokens.
import { Badge } from "@plinth/ui/badge";

export type TaskStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

const STATUS_VARIANT = {
  QUEUED: "secondary",
  RUNNING: "info",
  SUCCEEDED: "success",
  FAILED: "destructive",
  CANCELLED: "warning",
} as const;

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} data-status={status}>
      {status.toLowerCase()}
    </Badge>
  );
}

/** The offline demo provider is always labelled: its answers are not a model's. */
export function OfflineBadge() {
  return (
    <Badge
      variant="warning"
      title="The built-in offline demo provider answered: no model was called"
    >
      Offline demo — no model called
    </Badge>
  );
}

export function ProviderLabel({ provider, offline }: { provider: string; offline: boolean }) {
  return offline || provider === "offline" ? <OfflineBadge /> : <span>OpenAI-compatible</span>;
}

/** Micro-cents (1 cent = 10^6) as dollars with enough digits for a single call. */
export function formatCost(microCents: number | null): string {
  if (microCents === null) return "—";
  const dollars = microCents / 100_000_000;
  return `$${dollars.toFixed(dollars < 0.01 ? 6 : 4)}`;
}
