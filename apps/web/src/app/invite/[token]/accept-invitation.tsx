"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { trpc } from "~/trpc/react.tsx";
import { appErrorOf } from "@plinth/web-kit/errors";

export function AcceptInvitation({
  token,
  organizationName,
}: {
  token: string;
  organizationName: string;
}) {
  const router = useRouter();
  const accept = trpc.invitation.accept.useMutation({
    onSuccess: (result) => router.push(`/o/${result.slug}`),
  });
  const appError = appErrorOf(accept.error);
  return (
    <div className="grid gap-4">
      {accept.error ? (
        <Banner tone="danger">
          {accept.error.message}
          {appError?.code === "ALREADY_MEMBER" && appError.organizationSlug ? (
            <>
              {" "}
              <Link className="font-medium underline" href={`/o/${appError.organizationSlug}`}>
                Open {organizationName}
              </Link>
            </>
          ) : null}
        </Banner>
      ) : null}
      <Button
        onClick={() => accept.mutate({ token })}
        loading={accept.isPending || accept.isSuccess}
      >
        Accept and join {organizationName}
      </Button>
    </div>
  );
}
