// Fixtures for the teams tests: the refusal a client receives, the token from the latest
// invitation email, and a snapshot of an organization's team state (to assert "no change").
import { TRPCError } from "@plinth/trpc/testing";
import type { TestDatabase } from "@plinth/db/testing";
import { AppError, type AppErrorData } from "@plinth/core/errors";

export async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; appError: AppErrorData | null; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return {
    code: error.code,
    appError: error.cause instanceof AppError ? error.cause.data : null,
    message: error.message,
  };
}

/** The plain token from the newest invitation email to `to` (the only place it exists). */
export async function tokenFromEmail(db: TestDatabase, to: string): Promise<string> {
  const email = await db.system.email.findFirst({
    where: { to, template: "invitation" },
    orderBy: { createdAt: "desc" },
  });
  const token = email?.text.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`no invitation email to ${to}`);
  return token;
}

export async function teamState(db: TestDatabase, organizationId: string) {
  const [memberships, invitations, audit] = await Promise.all([
    db.system.membership.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
    db.system.invitation.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
    db.system.auditLog.count({ where: { organizationId } }),
  ]);
  return { memberships, invitations, audit };
}

export async function auditActions(db: TestDatabase, organizationId: string): Promise<string[]> {
  const rows = await db.system.auditLog.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => row.action);
}
