import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter, type AppRouter } from "./root.ts";
export {
  createCallerFactory,
  createContext,
  type Context,
  type ErrorData,
  type SessionUser,
} from "./trpc.ts";
export { AppError, type AppErrorData, type UpgradeOffer } from "./errors.ts";
export { createOrganizationWithOwner } from "./organizations/service.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
