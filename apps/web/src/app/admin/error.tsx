"use client";
// A failing console page keeps the shell (sidebar, top bar) around the message.
import { ErrorMessage } from "~/components/error-message.tsx";

export default function ConsoleError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ErrorMessage error={error} reset={reset} />;
}
