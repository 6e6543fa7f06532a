import { accountRouter } from "./account/router.ts";
import { auditRouter } from "./audit/router.ts";
import { billingRouter } from "./billing/router.ts";
import { organizationRouter } from "./organizations/router.ts";
import { projectRouter } from "./projects/router.ts";
import { runRouter } from "./runs/router.ts";
import { createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  organization: organizationRouter,
  project: projectRouter,
  audit: auditRouter,
  account: accountRouter,
  run: runRouter,
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;
