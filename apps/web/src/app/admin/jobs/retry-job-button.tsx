"use client";
import { RotateCcw } from "lucide-react";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { trpc } from "~/trpc/react.tsx";

export function RetryJobButton({ jobId }: { jobId: string }) {
  const router = useRouter();
  const retry = trpc.operator.retryJob.useMutation({
    onSuccess: () => {
      toast.success(`Job #${jobId} queued again`);
      router.refresh();
    },
    onError: (error) => reportError(error),
  });
  return (
    <Button
      size="sm"
      variant="outline"
      loading={retry.isPending}
      onClick={() => retry.mutate({ jobId })}
    >
      {retry.isPending ? null : <RotateCcw aria-hidden="true" />} Retry
    </Button>
  );
}
