// The audit trail: every mutation of organizations, memberships and projects records who did
// what to which target, the changed fields, the IP and the request id — in the same
// transaction as the change, so there is no change without its record.
import type { AuditChanges, Prisma, TransactionClient } from "@plinth/db";
import type { Actor } from "./scope.ts";

/** Who an entry is written for: a scope has these fields, a seed or job builds them. */
export interface AuditSource {
  actor: Actor;
  ip: string | null;
  requestId: string | null;
}

/** What a job, seed or script records as its actor. */
export function systemAudit(reason: string, requestId: string | null = null): AuditSource {
  return { actor: { kind: "system", reason }, ip: null, requestId };
}

const ACTOR_TYPE = {
  user: "USER",
  apiKey: "API_KEY",
  system: "SYSTEM",
  anonymous: "SYSTEM",
} as const;

function actorId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.user.id : actor.kind === "apiKey" ? actor.key.id : null;
}

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
  source: AuditSource,
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      organizationId: entry.organizationId,
      actorType: ACTOR_TYPE[source.actor.kind],
      actorId: actorId(source.actor),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      // Dates become ISO strings; the column is validated by auditChangesSchema on read.
      ...(entry.changes
        ? { changes: JSON.parse(JSON.stringify(entry.changes)) as Prisma.InputJsonValue }
        : {}),
      ipAddress: source.ip,
      requestId: source.requestId,
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
