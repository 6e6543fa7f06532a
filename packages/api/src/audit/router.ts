import { z } from "zod";
import { auditChangesSchema } from "@plinth/db";
import { cuid } from "../inputs.ts";
import { requireFeature } from "../middleware/gating.ts";
import { orgAdminProcedure } from "../middleware/organization.ts";
import { createTRPCRouter } from "../trpc.ts";

export const auditRouter = createTRPCRouter({
  /** The organization's audit log, newest first, keyset-paginated by (createdAt, id). */
  list: orgAdminProcedure
    .use(requireFeature("audit.read"))
    .input(
      z.object({
        limit: z.number().int().min(1).max(100).default(25),
        /** The id of the last row of the previous page. */
        cursor: z.nullish(cuid),
      }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.orgDb.auditLog.findMany({
        take: input.limit + 1,
        ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      });
      const page = rows.slice(0, input.limit);
      return {
        items: page.map((row) => ({
          id: row.id,
          action: row.action,
          actorType: row.actorType,
          actorId: row.actorId,
          targetType: row.targetType,
          targetId: row.targetId,
          changes: z.catch(z.nullable(auditChangesSchema), null).parse(row.changes),
          ipAddress: row.ipAddress,
          requestId: row.requestId,
          createdAt: row.createdAt,
        })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),
});
