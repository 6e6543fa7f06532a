// Reading an organization's audit log (entries are written by recordAudit in @plinth/core,
// in the same transaction as each change).
import * as z from "zod/mini";
import { auditChangesSchema } from "@plinth/db";
import type { OrgScope } from "../scope.ts";

/** Newest first, keyset-paginated by (createdAt, id); `cursor` is the previous page's last id. */
export async function listAuditLog(
  scope: OrgScope,
  input: { limit: number; cursor?: string | null | undefined },
) {
  const rows = await scope.db.client.auditLog.findMany({
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
}
