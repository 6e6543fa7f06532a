// A workspace's state as a badge: ready is success, failed destructive, runs in progress info,
// suspended (the organization may only read) a warning.
import { Badge } from "@plinth/ui/badge";

const VARIANT = {
  REQUESTED: "info",
  PROVISIONING: "info",
  READY: "success",
  UPDATING: "info",
  DESTROYING: "warning",
  DESTROYED: "secondary",
  FAILED: "destructive",
  SUSPENDED: "warning",
} as const;

export type WorkspaceState = keyof typeof VARIANT;

export function StateBadge({ state }: { state: WorkspaceState }) {
  return <Badge variant={VARIANT[state]}>{state.charAt(0) + state.slice(1).toLowerCase()}</Badge>;
}
