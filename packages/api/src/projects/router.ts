import { z } from "zod";
import { cuid, text } from "../inputs.ts";
import { requireLimit } from "../middleware/gating.ts";
import { orgAdminProcedure, orgProcedure } from "../middleware/organization.ts";
import { createTRPCRouter } from "../trpc.ts";
import {
  createProject,
  deleteProject,
  projectView,
  renameProject,
  setProjectArchived,
} from "./service.ts";

const name = text(80).trim().min(1);
const projectId = cuid;

export const projectRouter = createTRPCRouter({
  list: orgProcedure
    .input(z.object({ status: z.enum(["ACTIVE", "ARCHIVED", "ALL"]).default("ACTIVE") }))
    .query(({ ctx, input }) =>
      ctx.orgDb.project.findMany({
        where: input.status === "ALL" ? {} : { status: input.status },
        orderBy: { createdAt: "desc" },
        select: projectView,
      }),
    ),

  create: orgProcedure
    .use(requireLimit("projects"))
    .input(z.object({ name }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) => createProject(tx, ctx, { organizationId: ctx.org.id, name: input.name })),
    ),

  rename: orgProcedure
    .input(z.object({ projectId, name }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) => renameProject(tx, ctx, { ...input, organizationId: ctx.org.id })),
    ),

  archive: orgProcedure.input(z.object({ projectId })).mutation(({ ctx, input }) =>
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
    .input(z.object({ projectId }))
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
    .input(z.object({ projectId }))
    .mutation(({ ctx, input }) =>
      ctx.tx((tx) =>
        deleteProject(tx, ctx, { organizationId: ctx.org.id, projectId: input.projectId }),
      ),
    ),
});
