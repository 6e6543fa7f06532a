// tRPC core: the context (a request scope), error formatting and the middlewares every
// procedure starts with. The procedures themselves are in ./procedures.ts, plan gating in
// ./gating.ts, the input rule in @plinth/core/inputs. What a client sees of an error is
// decided here, in the error formatter (docs/security.md).
import { TRPCError, initTRPC, type AnyRouter } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import superjson from "superjson";
import { z } from "zod";
import { billingRuntimeFromEnv, type BillingRuntime } from "@plinth/billing/stripe/client";
import { AppError, type AppErrorData } from "@plinth/core/errors";
import { isDatabaseBusy } from "@plinth/db/errors";
import type { Logger } from "@plinth/core/logger";
import type { Actor, ApiKeyIdentity, Clock, SessionUser } from "@plinth/core/scope";
import type { Database } from "@plinth/db";
import {
  createRequestScope,
  type OrganizationContextCache,
  type ProductRuntime,
  type RequestScope,
} from "@plinth/platform";

export interface CreateContextOptions {
  database: Database;
  product: ProductRuntime;
  user?: SessionUser | null;
  /** The session cookie's token of this request (to tell "this device" apart); never logged. */
  sessionToken?: string | null;
  /** An API key acting for its organization (issue 12). */
  apiKey?: ApiKeyIdentity | null;
  requestId?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  /** The process's root logger (default: rootLogger()); the scope holds a child of it. */
  logger?: Logger;
  clock?: Clock;
  /** Billing provider; default: from the environment, on first use. */
  billing?: BillingRuntime;
  /** The process's cache of what binding to an organization reads (none: read per call). */
  organizationContexts?: OrganizationContextCache;
}

export interface Context {
  scope: RequestScope;
  /** Where a failure is logged from: org procedures rebind it with the organization. */
  failureLog: { logger: Logger };
}

function actorOf(options: CreateContextOptions): Actor {
  if (options.user) {
    return { kind: "user", user: options.user, sessionToken: options.sessionToken ?? null };
  }
  if (options.apiKey) return { kind: "apiKey", key: options.apiKey };
  return { kind: "anonymous" };
}

export function createContext(options: CreateContextOptions): Context {
  const scope = createRequestScope({
    database: options.database,
    product: options.product,
    actor: actorOf(options),
    requestId: options.requestId ?? null,
    ip: options.ipAddress ?? null,
    userAgent: options.userAgent ?? null,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    billing: options.billing ?? billingRuntimeFromEnv,
    ...(options.organizationContexts ? { organizationContexts: options.organizationContexts } : {}),
  });
  return { scope, failureLog: { logger: scope.logger } };
}

/** Who may call a procedure; the tenancy and boundary tests enumerate procedures by it. */
export type ProcedureAccess = "public" | "user" | "org" | "platform";
export interface Meta {
  access?: ProcedureAccess;
  /** Mutations that must work while the organization is read-only (billing, exports). */
  allowWhenReadOnly?: boolean;
  /**
   * The API-key scope that lets a key call this procedure (`Authorization: Bearer <key>` on
   * /api/trpc, only with orgOrKeyProcedure). Without one, API keys are refused.
   */
  apiScope?: string;
}

/** Shape of `error.data` on the client. */
export interface ErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path: string | undefined;
  /** This request's id (also the x-request-id header): quote it when reporting a failure. */
  requestId: string | null;
  appError: AppErrorData | null;
  fieldErrors: Record<string, string[] | undefined> | null;
}

/**
 * The message a client sees. Our refusals (AppError), input validation (zod) and tRPC's own
 * protocol errors say what is wrong; anything else is a generic message with the request id —
 * never the text of a database, library or runtime exception (that goes to the server log).
 */
export function publicErrorMessage(error: TRPCError, requestId: string | null): string {
  const reference = requestId ? ` (request id ${requestId})` : "";
  if (error.code === "INTERNAL_SERVER_ERROR") return `Internal error${reference}`;
  const cause = error.cause;
  // Classic zod and the contracts' "mini" schemas both throw zod's core error.
  if (cause === undefined || cause instanceof AppError || cause instanceof z.core.$ZodError) {
    return error.message;
  }
  // A client error raised by a library (JSON.parse, superjson): what, not the library's text.
  return error.code === "BAD_REQUEST"
    ? "Malformed request: the input is not valid JSON (superjson)"
    : `Request refused${reference}`;
}

export const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // An explicit shape (no spread of tRPC's): in particular no `stack`, in any environment.
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const requestId = ctx?.scope.requestId ?? null;
      const data: ErrorData = {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        requestId,
        appError: cause instanceof AppError ? cause.data : null,
        // Classic and "mini" schemas (the contracts) both throw zod's core error.
        fieldErrors: cause instanceof z.core.$ZodError ? z.flattenError(cause).fieldErrors : null,
      };
      return { message: publicErrorMessage(error, requestId), code: shape.code, data };
    },
  });

export const createTRPCRouter = t.router;
export const mergeRouters = t.mergeRouters;
export const createCallerFactory = t.createCallerFactory;
/** A server-side caller of `TRouter` (a module types its pages' caller by its router slice). */
export type CallerOf<TRouter extends AnyRouter> = ReturnType<
  ReturnType<typeof createCallerFactory<TRouter["_def"]["record"]>>
>;
export const middleware = t.middleware;

/**
 * Turns AppErrors into TRPCErrors with the catalogue's code; logs unexpected failures with
 * their stack (the client sees only a generic message, see the error formatter).
 */
export const errorBoundary = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      // (The catalogue's codes are tRPC's: this line stops compiling when they drift apart.)
      throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
    }
    if (isDatabaseBusy(cause)) {
      ctx.failureLog.logger.warn({ path, type, err: cause }, "database busy");
      const busy = new AppError({ code: "SERVICE_BUSY", retryAfterSeconds: 1 });
      throw new TRPCError({ code: busy.trpcCode, message: busy.message, cause: busy });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.failureLog.logger.error({ path, type, err: cause ?? result.error }, "procedure failed");
    }
  }
  return result;
});

/**
 * tRPC parses a request's input lazily, when a procedure asks for it, so a procedure without
 * input would run on an unparseable body. Reading it first refuses a malformed body (400)
 * before any check or handler of any procedure runs.
 */
export const parseInputFirst = t.middleware(async ({ getRawInput, next }) => {
  await getRawInput();
  return next();
});
