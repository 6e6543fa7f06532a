// The hosting module's tRPC adapter: a few lines per procedure. Members request, change and
// destroy workspaces (the plan's workspaces limit and features are checked by the service,
// which the gateway routes share); API keys with workspaces:read/write may call them too.
// Custom domains: `domain.*` (./domains.ts). The operator console's dashboard: `hostingOps.*`
// (platform admins, ./operator.ts).
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  orgAdminProcedure,
  orgOrKeyProcedure,
  platformAdminProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  addDomainInput,
  domainInput,
  failedRunsInput,
  getWorkspaceInput,
  listWorkspacesInput,
  previewWorkspaceInput,
  requestWorkspaceInput,
  retryWorkspaceInput,
  updateWorkspaceInput,
  workspaceInput,
} from "./contract.ts";
import * as domains from "./domains.ts";
import * as ops from "./operator.ts";
import * as hosting from "./service.ts";

export const workspaceRouter = createTRPCRouter({
  list: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:read" })
    .input(listWorkspacesInput)
    .query(({ ctx, input }) => hosting.listWorkspaces(ctx.scope, input)),
  get: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:read" })
    .input(getWorkspaceInput)
    .query(({ ctx, input }) => hosting.getWorkspace(ctx.scope, input)),
  /** What requesting would add to the subscription (items, proration); nothing changes. */
  previewRequest: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:read" })
    .input(previewWorkspaceInput)
    .query(({ ctx, input }) => hosting.previewWorkspaceRequest(ctx.scope, input)),
  request: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(requestWorkspaceInput)
    .mutation(({ ctx, input }) => hosting.requestWorkspace(ctx.scope, input)),
  update: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(updateWorkspaceInput)
    .mutation(({ ctx, input }) => hosting.updateWorkspace(ctx.scope, input)),
  destroy: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(workspaceInput)
    .mutation(({ ctx, input }) => hosting.destroyWorkspace(ctx.scope, input)),
  /** A failed workspace's last operation again (admins and owners; audited). */
  retry: orgAdminProcedure
    .input(workspaceInput)
    .mutation(({ ctx, input }) => hosting.retryFailedWorkspace(ctx.scope, input)),
});

/** A workspace's custom domains (admins and owners; keys with workspaces:write to change). */
export const domainRouter = createTRPCRouter({
  list: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:read" })
    .input(workspaceInput)
    .query(({ ctx, input }) => domains.listDomains(ctx.scope, input)),
  add: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(addDomainInput)
    .mutation(({ ctx, input }) => domains.addDomain(ctx.scope, input)),
  verify: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(domainInput)
    .mutation(({ ctx, input }) => domains.verifyDomain(ctx.scope, input)),
  remove: orgOrKeyProcedure
    .meta({ apiScope: "workspaces:write" })
    .input(domainInput)
    .mutation(({ ctx, input }) => domains.removeDomain(ctx.scope, input)),
});

/** The operator console's hosting dashboard (platform admins; the retry is audited). */
export const hostingOpsRouter = createTRPCRouter({
  overview: platformAdminProcedure.query(({ ctx }) => ops.hostingOverview(ctx.scope)),
  provisioning: platformAdminProcedure.query(({ ctx }) => ops.provisioningStats(ctx.scope)),
  failedRuns: platformAdminProcedure
    .input(failedRunsInput)
    .query(({ ctx, input }) => ops.failedRuns(ctx.scope, input)),
  retry: platformAdminProcedure
    .input(retryWorkspaceInput)
    .mutation(({ ctx, input }) => ops.retryWorkspace(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = {
  workspace: workspaceRouter,
  domain: domainRouter,
  hostingOps: hostingOpsRouter,
};

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type HostingApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type HostingCaller = CallerOf<HostingApi>;
export type HostingOutputs = inferRouterOutputs<HostingApi>;
