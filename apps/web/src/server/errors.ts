import "server-only";
import { TRPCError } from "@trpc/server";
import { AppError, type AppErrorData } from "@plinth/core/errors";

/** The AppError behind a server-side caller's failure, if any. */
export function appErrorFromCaller(error: unknown): AppErrorData | null {
  if (error instanceof TRPCError && error.cause instanceof AppError) return error.cause.data;
  if (error instanceof AppError) return error.data;
  return null;
}
