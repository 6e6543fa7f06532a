// @plinth/trpc: the tRPC adapter of the platform — context (a request scope), procedures,
// plan gating middlewares, the core routers, and createAppRouter, which merges them with the
// modules' routers (the composition root, @plinth/product/trpc, calls it). Imports no module.
export {
  createCallerFactory,
  createContext,
  createTRPCRouter,
  type CallerOf,
  type Context,
  type CreateContextOptions,
  type ErrorData,
  type Meta,
  type ProcedureAccess,
} from "./trpc.ts";
export {
  orgAdminProcedure,
  orgOrKeyProcedure,
  orgOwnerProcedure,
  orgProcedure,
  platformAdminProcedure,
  protectedProcedure,
  publicProcedure,
} from "./procedures.ts";
export { gatingFor, verifiedEmail } from "./gating.ts";
export {
  createAppRouter,
  type ModuleApi,
  type ModuleNamespaces,
  type ModuleRouters,
} from "./root.ts";
