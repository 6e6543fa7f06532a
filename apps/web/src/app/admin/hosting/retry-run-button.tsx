"use client";
import { RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

export function RetryRunButton({
  workspaceId,
  workspaceName,
  organizationName,
  action,
}: {
  workspaceId: string;
  workspaceName: string;
  organizationName: string;
  action: string;
}) {
  const router = useRouter();
  const retry = trpc.hostingOps.retry.useMutation({
    onSuccess: () => {
      toast.success(`${workspaceName}: ${action.toLowerCase()} started again`);
      router.refresh();
    },
    // The dialog stays open on a refusal (a run started meanwhile: 412); the toast says why.
    onError: (error) => reportError(error),
  });
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" loading={retry.isPending}>
          {retry.isPending ? null : <RotateCcw aria-hidden="true" />} Retry
        </Button>
      }
      title={`Retry the ${action.toLowerCase()} of ${workspaceName}?`}
      description={`A new run of the same operation starts for ${organizationName}'s workspace. The organization's audit log records you as the one who retried it.`}
      confirmLabel="Retry"
      destructive={false}
      onConfirm={() => retry.mutateAsync({ workspaceId })}
    />
  );
}
