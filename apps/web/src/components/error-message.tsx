"use client";
import { Button } from "@plinth/ui/button";
import { StatusPage } from "@plinth/ui/status-page";

/** The body of every error.tsx: what happened, a retry, and the digest to quote. */
export function ErrorMessage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <StatusPage
      code="Error"
      title="Something went wrong"
      actions={
        <>
          <Button onClick={reset}>Try again</Button>
          <Button variant="outline" asChild>
            <a href="/">Go to Plinth</a>
          </Button>
        </>
      }
    >
      <p>The page could not be shown. Try again in a moment.</p>
      {error.digest ? <p className="mt-2 font-mono text-xs">Reference: {error.digest}</p> : null}
    </StatusPage>
  );
}
