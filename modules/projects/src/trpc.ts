// The projects module's tRPC adapter: a few lines per procedure — who may call it (the
// procedure), plan gating, the input schema (contract.ts), the service call (service.ts).
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  gatingFor,
  orgAdminProcedure,
  orgOrKeyProcedure,
  orgProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  createProjectInput,
  listProjectsInput,
  projectInput,
  renameProjectInput,
} from "./contract.ts";
import { projectsModule } from "./index.ts";
import * as projects from "./service.ts";

const { limit } = gatingFor(projectsModule);

export const projectRouter = createTRPCRouter({
  /** Also for API keys with projects:read (internal apps, @plinth/client). */
  list: orgOrKeyProcedure
    .meta({ apiScope: "projects:read" })
    .input(listProjectsInput)
    .query(({ ctx, input }) => projects.listProjects(ctx.scope, input)),

  /** Also for API keys with projects:write. */
  create: orgOrKeyProcedure
    .meta({ apiScope: "projects:write" })
    .use(limit("projects"))
    .input(createProjectInput)
    .mutation(({ ctx, input }) => projects.createProject(ctx.scope, input)),

  rename: orgProcedure
    .input(renameProjectInput)
    .mutation(({ ctx, input }) => projects.renameProject(ctx.scope, input)),

  archive: orgProcedure
    .input(projectInput)
    .mutation(({ ctx, input }) =>
      projects.setProjectArchived(ctx.scope, { ...input, archived: true }),
    ),

  /** Reactivating counts against the plan's project limit again. */
  unarchive: orgProcedure
    .use(limit("projects"))
    .input(projectInput)
    .mutation(({ ctx, input }) =>
      projects.setProjectArchived(ctx.scope, { ...input, archived: false }),
    ),

  delete: orgAdminProcedure
    .input(projectInput)
    .mutation(({ ctx, input }) => projects.deleteProject(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = { project: projectRouter };

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type ProjectsApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures (the web app's request caller is one). */
export type ProjectsCaller = CallerOf<ProjectsApi>;
export type ProjectsOutputs = inferRouterOutputs<ProjectsApi>;
