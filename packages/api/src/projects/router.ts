import { requireLimit } from "../middleware/gating.ts";
import { orgAdminProcedure, orgProcedure } from "../middleware/organization.ts";
import { createTRPCRouter } from "../trpc.ts";
import {
  createProjectInput,
  listProjectsInput,
  projectInput,
  renameProjectInput,
} from "./contract.ts";
import {
  createProject,
  deleteProject,
  projectView,
  renameProject,
  setProjectArchived,
} from "./service.ts";

export const projectRouter = createTRPCRouter({
  list: orgProcedure.input(listProjectsInput).query(({ ctx, input }) =>
    ctx.orgDb.project.findMany({
      where: input.status === "ALL" ? {} : { status: input.status },
      orderBy: { createdAt: "desc" },
      select: projectView,
    }),
  ),

  create: orgProcedure
    .use(requireLimit("projects"))
    .input(createProjectInput)
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) => createProject(tx, ctx, { organizationId: ctx.org.id, name: input.name })),
    ),

  rename: orgProcedure
    .input(renameProjectInput)
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) => renameProject(tx, ctx, { ...input, organizationId: ctx.org.id })),
    ),

  archive: orgProcedure.input(projectInput).mutation(({ ctx, input }) =>
    ctx.tx((tx) =>
      setProjectArchived(tx, ctx, {
        organizationId: ctx.org.id,
        projectId: input.projectId,
        archived: true,
        now: ctx.now(),
      }),
    ),
  ),

  /** Reactivating counts against the plan's project limit again. */
  unarchive: orgProcedure
    .use(requireLimit("projects"))
    .input(projectInput)
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        setProjectArchived(tx, ctx, {
          organizationId: ctx.org.id,
          projectId: input.projectId,
          archived: false,
          now: ctx.now(),
        }),
      ),
    ),

  delete: orgAdminProcedure
    .input(projectInput)
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        deleteProject(tx, ctx, { organizationId: ctx.org.id, projectId: input.projectId }),
      ),
    ),
});
