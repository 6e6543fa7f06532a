import { accountRouter } from "./account/router.ts";
import { auditRouter } from "./audit/router.ts";
import { operatorRouter } from "./operator/router.ts";
import { billingRouter } from "./billing/router.ts";
import { organizationRouter } from "./organizations/router.ts";
import { projectRouter } from "./projects/router.ts";
import { runRouter } from "./runs/router.ts";
import { invitationRouter, memberRouter } from "./teams/router.ts";
import { createTRPCRouter } from "./trpc.ts";

export const appRouter = createTRPCRouter({
  organization: organizationRouter,
  project: projectRouter,
  audit: auditRouter,
  account: accountRouter,
  run: runRouter,
  invitation: invitationRouter,
  member: memberRouter,
  operator: operatorRouter,
  billing: billingRouter,
});

export type AppRouter = typeof appRouter;
