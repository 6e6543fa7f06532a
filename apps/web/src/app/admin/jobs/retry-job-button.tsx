"use client";
import { useRouter } from "next/navigation";
import { trpc } from "~/trpc/react.tsx";

export function RetryJobButton({ jobId }: { jobId: string }) {
  const router = useRouter();
  const retry = trpc.operator.retryJob.useMutation({ onSuccess: () => router.refresh() });
  return (
    <>
      <button
        type="button"
        className="ui-button ui-button--sm ui-button--secondary"
        disabled={retry.isPending}
        onClick={() => retry.mutate({ jobId })}
      >
        Retry
      </button>
      {retry.error ? <span className="ui-field-error">{retry.error.message}</span> : null}
    </>
  );
}
