"use client";
// Anything a page throws that nothing else handled: a message in the app's style and a retry.
// The digest identifies the failure in the server's log without showing its details.
import { CenteredPage } from "@plinth/ui/centered-page";
import { ErrorMessage } from "~/components/error-message.tsx";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <CenteredPage width="md">
      <ErrorMessage error={error} reset={reset} />
    </CenteredPage>
  );
}
