// @plinth/client: the typed tRPC client for internal apps that call Plinth with an API key.
//
//   const plinth = createPlinthClient({ baseUrl: "https://app.example.com", apiKey });
//   const projects = await plinth.project.list.query({ organizationId, status: "ACTIVE" });
//
// Calls /api/trpc with `Authorization: Bearer <key>` (superjson, batched over HTTP). Only
// procedures that declare an API scope accept keys (projects' list and create today); the
// others answer 403 (API_KEY_NOT_ALLOWED), and a key reaches its own organization only.
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@plinth/product/trpc";

export interface PlinthClientOptions {
  /** The web app's origin, e.g. http://localhost:3000. */
  baseUrl: string;
  apiKey: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export function createPlinthClient(options: PlinthClientOptions) {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/api/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        transformer: superjson,
        headers: () => ({ authorization: `Bearer ${options.apiKey}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type PlinthClient = ReturnType<typeof createPlinthClient>;

/** The refusal's catalogue code (`NOT_FOUND`, `INSUFFICIENT_SCOPE`, …) when `error` is one. */
export function appErrorCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("appError" in data)) return null;
  const appError = data.appError;
  return typeof appError === "object" && appError !== null && "code" in appError
    ? String(appError.code)
    : null;
}

export { TRPCClientError };
