"use client";
import { useRouter } from "next/navigation";
import { Button } from "@plinth/ui/button";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
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
  const setStatus = trpc.operator.setUserStatus.useMutation({
    onSuccess: (user) => {
      toast.success(user.status === "SUSPENDED" ? `${email} suspended` : `${email} reactivated`);
      router.refresh();
    },
  });
  if (status === "SUSPENDED") {
    return (
      <Button
        size="sm"
        variant="outline"
        loading={setStatus.isPending}
        onClick={() =>
          setStatus.mutate({ userId, status: "ACTIVE" }, { onError: (e) => reportError(e) })
        }
      >
        Reactivate
      </Button>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="outline" className="text-destructive">
          Suspend
        </Button>
      }
      title={`Suspend ${email}?`}
      description="They are signed out everywhere at once and cannot sign in until reactivated."
      confirmLabel="Suspend user"
      onConfirm={() =>
        setStatus.mutateAsync({ userId, status: "SUSPENDED" }).catch((error: unknown) => {
          if (error && typeof error === "object" && "message" in error)
            toast.error(String(error.message));
          throw error;
        })
      }
    />
  );
}
