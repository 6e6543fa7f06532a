// The audit trail: every mutation of organizations, memberships and projects records who did
// what to which target, the changed fields, the IP and the request id — in the same
// transaction as the change, so there is no change without its record.
import type { AuditChanges, Prisma, TransactionClient } from "@plinth/db";
import type { Context } from "./trpc.ts";

export interface AuditEntry {
  /** null: platform-level entries (written through the system client only). */
  organizationId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  changes?: AuditChanges;
}

export async function recordAudit(
  tx: TransactionClient,
  ctx: Pick<Context, "user" | "ipAddress" | "requestId">,
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      organizationId: entry.organizationId,
      actorType: ctx.user ? "USER" : "SYSTEM",
      actorId: ctx.user?.id ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      // Dates become ISO strings; the column is validated by auditChangesSchema on read.
      ...(entry.changes
        ? { changes: JSON.parse(JSON.stringify(entry.changes)) as Prisma.InputJsonValue }
        : {}),
      ipAddress: ctx.ipAddress,
      requestId: ctx.requestId,
    },
  });
}

/** { field: { from, to } } for the fields whose values differ. */
export function changedFields<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): AuditChanges {
  const changes: AuditChanges = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field];
    if (to !== undefined && !sameValue(from, to)) changes[field] = { from, to };
  }
  return changes;
}

/** The fields of a created or deleted row. */
export function snapshot(fields: Record<string, unknown>, side: "from" | "to"): AuditChanges {
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [field, { [side]: value }]),
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
