// tRPC core: context, error formatting and the procedures every router builds on.
//   publicProcedure        anyone
//   protectedProcedure     a signed-in, active user
//   orgProcedure           a member of the organization named by input.organizationId
//   orgAdminProcedure      ... with role ADMIN or OWNER
//   platformAdminProcedure a SUPER_ADMIN (operator console)
// Plan gating lives in ./middleware/gating.ts; tenancy rules in ./middleware/organization.ts;
// the input rule in ./inputs.ts. What a client sees of an error is decided here, in the error
// formatter (docs/security.md).
import { randomUUID } from "node:crypto";
import { TRPCError, initTRPC } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import superjson from "superjson";
import { z } from "zod";
import { billingRuntimeFromEnv, type BillingRuntime } from "@plinth/billing/stripe/client";
import type { Logger } from "@plinth/core/logger";
import { rootLogger } from "@plinth/core/root-logger";
import type { Database } from "@plinth/db";
import { scopedClient } from "@plinth/db";
import { AppError, type AppErrorData } from "./errors.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  platformRole: "USER" | "SUPER_ADMIN";
  status: "ACTIVE" | "SUSPENDED" | "DELETED";
  /** When the email address was verified (null: not yet; undefined: not loaded). */
  emailVerified?: Date | null;
}

export interface ApiConfig {
  /** Days a past_due subscription keeps write access. */
  pastDueGraceDays: number;
}

export interface CreateContextOptions {
  db: Database;
  user: SessionUser | null;
  requestId?: string | null;
  ipAddress?: string | null;
  /** The session cookie's token of this request (to tell "this device" apart); never logged. */
  sessionToken?: string | null;
  /** User agent of this request (shown in session lists / audit). */
  userAgent?: string | null;
  /** The process's root logger (default: rootLogger()); the context holds a child of it. */
  logger?: Logger;
  now?: () => Date;
  config?: Partial<ApiConfig>;
  /** Billing provider for the billing router; default: from the environment, on first use. */
  billing?: BillingRuntime;
}

export function createContext(options: CreateContextOptions) {
  const requestId = options.requestId ?? randomUUID();
  let billing = options.billing;
  return {
    db: options.db,
    user: options.user,
    requestId,
    ipAddress: options.ipAddress ?? null,
    sessionToken: options.sessionToken ?? null,
    userAgent: options.userAgent ?? null,
    /** This request's logger: request id and user bound (org procedures add the organization). */
    logger: (options.logger ?? rootLogger()).child(
      options.user ? { requestId, userId: options.user.id } : { requestId },
    ),
    now: options.now ?? (() => new Date()),
    config: {
      pastDueGraceDays:
        options.billing?.pastDueGraceDays ?? billingRuntimeFromEnv().pastDueGraceDays,
      ...options.config,
    } satisfies ApiConfig,
    billing: () => (billing ??= billingRuntimeFromEnv()),
  };
}
export type Context = ReturnType<typeof createContext>;

export type ProcedureScope = "public" | "user" | "org" | "platform";
export interface Meta {
  scope?: ProcedureScope;
  /** Mutations that must work while the organization is read-only (billing, exports). */
  allowWhenReadOnly?: boolean;
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

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // An explicit shape (no spread of tRPC's): in particular no `stack`, in any environment.
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const requestId = ctx?.requestId ?? null;
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
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/**
 * Turns AppErrors into TRPCErrors with the catalogue's code; logs unexpected failures with
 * their stack (the client sees only a generic message, see the error formatter).
 */
const errorBoundary = t.middleware(async ({ ctx, next, path, type }) => {
  let logger = ctx.logger;
  const result = await next({
    ctx: {
      /**
       * Binds fields to this call's logger (org procedures: the organization) and returns it.
       * A failure is then logged with them too, although it surfaces here, above the binding.
       */
      bindLog: (fields: Record<string, unknown>): Logger => (logger = logger.child(fields)),
    },
  });
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.trpcCode, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ path, type, err: cause ?? result.error }, "procedure failed");
    }
  }
  return result;
});

/**
 * tRPC parses a request's input lazily, when a procedure asks for it, so a procedure without
 * input would run on an unparseable body. Reading it first refuses a malformed body (400)
 * before any check or handler of any procedure runs.
 */
const parseInputFirst = t.middleware(async ({ getRawInput, next }) => {
  await getRawInput();
  return next();
});

export const publicProcedure = t.procedure
  .meta({ scope: "public" })
  .use(errorBoundary)
  .use(parseInputFirst);

export const protectedProcedure = publicProcedure.meta({ scope: "user" }).use(({ ctx, next }) => {
  if (!ctx.user) throw new AppError({ code: "UNAUTHENTICATED" });
  if (ctx.user.status !== "ACTIVE") throw new AppError({ code: "ACCOUNT_DISABLED" });
  const user = ctx.user;
  return next({
    ctx: {
      user,
      /** Reads of the user's own rows across organizations (memberships, organizations). */
      userDb: scopedClient(ctx.db.app, { userId: user.id }),
    },
  });
});

export const platformAdminProcedure = protectedProcedure
  .meta({ scope: "platform" })
  .use(({ ctx, next }) => {
    if (ctx.user.platformRole !== "SUPER_ADMIN") {
      throw new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "SUPER_ADMIN" });
    }
    // The operator console reads across tenants: the explicit privileged path.
    return next({ ctx: { systemDb: ctx.db.system } });
  });
