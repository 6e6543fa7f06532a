"use client";
import { useRouter } from "next/navigation";
import { trpc } from "~/trpc/react.tsx";

export function UserStatusButton({
  userId,
  email,
  status,
}: {
  userId: string;
  email: string;
  status: "ACTIVE" | "SUSPENDED";
}) {
  const router = useRouter();
  const setStatus = trpc.operator.setUserStatus.useMutation({ onSuccess: () => router.refresh() });
  const next = status === "ACTIVE" ? "SUSPENDED" : "ACTIVE";
  return (
    <>
      <button
        type="button"
        className={`ui-button ui-button--sm ${next === "SUSPENDED" ? "ui-button--danger" : "ui-button--secondary"}`}
        disabled={setStatus.isPending}
        onClick={() => {
          if (
            next === "SUSPENDED" &&
            !window.confirm(`Suspend ${email}? They are signed out everywhere at once.`)
          )
            return;
          setStatus.mutate({ userId, status: next });
        }}
      >
        {next === "SUSPENDED" ? "Suspend" : "Reactivate"}
      </button>
      {setStatus.error ? <span className="ui-field-error">{setStatus.error.message}</span> : null}
    </>
  );
}
