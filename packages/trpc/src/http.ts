// The router over HTTP (fetch API). The web app's /api/trpc route checks the origin, finds the
// caller and hands the request here. Protocol rules (docs/security.md):
//   - at most `maxBatchSize` calls per batch: a bigger batch is a 400 before any call runs;
//   - a body or `input` that is not valid JSON / superjson is a 400 before any procedure runs
//     (parseInputFirst in trpc.ts);
//   - errors are shaped by the error formatter in trpc.ts (no stack, no exception text).
// `onCalls` reports each request's calls (procedure path, HTTP status) and duration, for the
// web app's /metrics; a path the router does not have is reported as "(unknown)", so a
// caller cannot grow the label set.
import type { AnyTRPCRouter } from "@trpc/server";
import { z } from "zod";
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
  /** After the answer: its calls and how long the request took (metrics). */
  onCalls?: (report: TrpcRequestReport) => void;
}

export interface TrpcCallOutcome {
  /** The procedure ("project.list"), or "(unknown)" for a path the router does not have. */
  procedure: string;
  /** The call's HTTP status (200, or its error's status). */
  status: number;
}

export interface TrpcRequestReport {
  /** One per call; empty when the request was refused before any call (e.g. a batch cap). */
  calls: TrpcCallOutcome[];
  /** The answer's status. */
  status: number;
  durationSeconds: number;
}

const callError = z.object({ error: z.object({ data: z.object({ httpStatus: z.number() }) }) });

export function handleTrpcRequest<TRouter extends AnyTRPCRouter>(
  options: TrpcHttpOptions<TRouter>,
): Promise<Response> {
  const logger = options.logger ?? rootLogger().child({ requestId: options.requestId });
  const { onCalls } = options;
  const started = performance.now();
  let calls: TrpcCallOutcome[] = [];
  const procedures = options.router._def.procedures as Record<string, unknown>;
  const answer = fetchRequestHandler({
    endpoint: options.endpoint,
    req: options.request,
    router: options.router,
    createContext: options.createContext,
    maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    responseMeta: ({ paths, data, eagerGeneration }) => {
      if (onCalls) {
        calls = (paths ?? []).map((path, index) => {
          const failed = eagerGeneration ? null : callError.safeParse(data[index]);
          return {
            procedure: Object.hasOwn(procedures, path) ? path : "(unknown)",
            status: failed?.success ? failed.data.error.data.httpStatus : 200,
          };
        });
      }
      return {
        headers: new Headers({ "x-request-id": options.requestId, "cache-control": "no-store" }),
      };
    },
    onError({ error, ctx, path }) {
      // Failures inside procedures are logged by their error boundary (trpc.ts); this catches
      // those before any procedure ran, e.g. while creating the context.
      if (ctx || error.code !== "INTERNAL_SERVER_ERROR") return;
      logger.error({ path, err: error.cause ?? error }, "request failed");
    },
  });
  if (!onCalls) return answer;
  return answer.then((response) => {
    onCalls({
      calls,
      status: response.status,
      durationSeconds: (performance.now() - started) / 1000,
    });
    return response;
  });
}
