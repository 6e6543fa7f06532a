// The router over HTTP (fetch API). The web app's /api/trpc route checks the origin, finds the
// caller and hands the request here. Protocol rules (docs/security.md):
//   - at most `maxBatchSize` calls per batch: a bigger batch is a 400 before any call runs;
//   - a body or `input` that is not valid JSON / superjson is a 400 before any procedure runs
//     (parseInputFirst in trpc.ts);
//   - errors are shaped by the error formatter in trpc.ts (no stack, no exception text).
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Logger } from "@plinth/core/logger";
import { rootLogger } from "@plinth/core/root-logger";
import type { Context } from "./trpc.ts";

/** Calls per batch when the deployment does not say otherwise (the web app's env.ts). */
export const DEFAULT_MAX_BATCH_SIZE = 20;

export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  /** The product's router (@plinth/product/trpc). */
  router: TRouter;
  request: Request;
  /** Where the router is mounted, e.g. "/api/trpc". */
  endpoint: string;
  requestId: string;
  createContext: () => Context | Promise<Context>;
  maxBatchSize?: number;
  logger?: Logger;
}

export function handleTrpcRequest<TRouter extends AnyTRPCRouter>(
  options: TrpcHttpOptions<TRouter>,
): Promise<Response> {
  const logger = options.logger ?? rootLogger().child({ requestId: options.requestId });
  return fetchRequestHandler({
    endpoint: options.endpoint,
    req: options.request,
    router: options.router,
    createContext: options.createContext,
    maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    responseMeta: () => ({
      headers: new Headers({ "x-request-id": options.requestId, "cache-control": "no-store" }),
    }),
    onError({ error, ctx, path }) {
      // Failures inside procedures are logged by their error boundary (trpc.ts); this catches
      // those before any procedure ran, e.g. while creating the context.
      if (ctx || error.code !== "INTERNAL_SERVER_ERROR") return;
      logger.error({ path, err: error.cause ?? error }, "request failed");
    },
  });
}
