import { auditRouter } from "./audit/router.ts";
import { organizationRouter } from "./organizations/router.ts";
import { projectRouter } from "./projects/router.ts";
import { createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  organization: organizationRouter,
  project: projectRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
