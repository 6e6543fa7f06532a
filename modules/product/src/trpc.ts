// The product's tRPC router: core's routers and every enabled module's (a disabled module's
// procedures are absent at run time: NOT_FOUND). `AppRouter` is the client's type.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ModuleRouters } from "@plinth/trpc";
import { createAppRouter } from "@plinth/trpc";
import type { ProductRuntime } from "@plinth/platform";
import { routers as aiTasks } from "@plinth/ai-tasks/trpc";
import { routers as apiCatalog } from "@plinth/api-catalog/trpc";
import { routers as demoBooking } from "@plinth/demo-booking/trpc";
import { routers as hosting } from "@plinth/hosting/trpc";
import { routers as projects } from "@plinth/projects/trpc";
import { routers as teams } from "@plinth/teams/trpc";
import { routers as testAutomation } from "@plinth/test-automation/trpc";
import { routers as voiceTraining } from "@plinth/voice-training/trpc";
import { activeProduct } from "./index.ts";
import type { ModuleKey } from "./modules.ts";

const moduleRouters = {
  teams,
  projects,
  "ai-tasks": aiTasks,
  "voice-training": voiceTraining,
  "api-catalog": apiCatalog,
  "test-automation": testAutomation,
  hosting,
  "demo-booking": demoBooking,
} satisfies Record<ModuleKey, ModuleRouters>;

/** The router of `product` (tests build one per preset). */
export function createProductRouter(product: ProductRuntime) {
  return createAppRouter(product, moduleRouters);
}

export type AppRouter = ReturnType<typeof createProductRouter>;

let active: AppRouter | undefined;
/** This process's router (the active product), built on first use. */
export function appRouter(): AppRouter {
  active ??= createProductRouter(activeProduct());
  return active;
}

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
