// Personal data (GDPR): a user's "download my data", an organization's export, and the erasure
// that account and organization deletion run. The core's part lives here; every module adds
// its own through its `gdpr` hooks (module.ts), called in one system transaction. Exports are
// explicit selections: never a token, hash, key or vault entry.
import type { TransactionClient } from "@plinth/db";
import { recordAudit } from "@plinth/core/audit";
import { enqueue, jobs } from "@plinth/jobs";
import type { AnyModule, UserReference } from "../module.ts";
import type { MemberScope, UserScope } from "../scope.ts";
import { apiKeyView } from "./api-keys.ts";
import { deleteUserConsents, exportUserConsents } from "./consents.ts";

/** What the core's tables hold of a user: the account itself and its sign-in traces. */
export async function exportCoreUser(tx: TransactionClient, userId: string) {
  const user = await tx.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      image: true,
      emailVerified: true,
      preferences: true,
      createdAt: true,
      passwordHash: true,
      accounts: { select: { provider: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      sessions: {
        select: { ipAddress: true, userAgent: true, createdAt: true, expires: true },
        orderBy: { createdAt: "asc" },
      },
      memberships: {
        select: {
          role: true,
          createdAt: true,
          organization: { select: { id: true, name: true, slug: true } },
        },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  const { passwordHash, accounts, ...profile } = user;
  return {
    profile: { ...profile, hasPassword: passwordHash !== null },
    signInMethods: accounts,
    consents: await exportUserConsents(tx, userId),
    // The platform log's entries about the account (sign-ins, password changes, exports).
    accountActivity: await tx.auditLog.findMany({
      where: { organizationId: null, targetType: "user", targetId: userId },
      orderBy: { createdAt: "asc" },
      select: { action: true, ipAddress: true, createdAt: true, changes: true },
    }),
  };
}

/**
 * The user's data exports go; their zips are deleted by a job the same transaction enqueues
 * (a store is not transactional: the job runs only if the erasure commits).
 */
async function eraseUserDataExports(tx: TransactionClient, userId: string): Promise<void> {
  const exports = await tx.dataExport.findMany({
    where: { userId, storageKey: { not: null } },
    select: { storageKey: true },
  });
  const storageKeys = exports.flatMap((row) => (row.storageKey ? [row.storageKey] : []));
  if (storageKeys.length > 0) await enqueue(tx, jobs.dataExportErase, { storageKeys });
  await tx.dataExport.deleteMany({ where: { userId } });
}

/**
 * The core's erasure: the account's sign-in traces and memberships go; what it authored in an
 * organization stays with the organization, without the author.
 */
export async function eraseCoreUser(tx: TransactionClient, userId: string): Promise<void> {
  await tx.session.deleteMany({ where: { userId } });
  await tx.account.deleteMany({ where: { userId } });
  await tx.userToken.deleteMany({ where: { userId } });
  await tx.membership.deleteMany({ where: { userId } });
  await deleteUserConsents(tx, userId);
  await eraseUserDataExports(tx, userId);
  await tx.apiKey.updateMany({ where: { createdById: userId }, data: { createdById: null } });
  await tx.run.updateMany({ where: { createdById: userId }, data: { createdById: null } });
  await tx.webhookEndpoint.updateMany({
    where: { createdById: userId },
    data: { createdById: null },
  });
}

export const CORE_USER_REFERENCES: readonly UserReference[] = [
  { table: "sessions", column: "user_id", onUserDeleted: "erased" },
  { table: "accounts", column: "user_id", onUserDeleted: "erased" },
  { table: "user_tokens", column: "user_id", onUserDeleted: "erased" },
  { table: "memberships", column: "user_id", onUserDeleted: "erased" },
  { table: "consent_records", column: "user_id", onUserDeleted: "erased" },
  { table: "data_exports", column: "user_id", onUserDeleted: "erased" },
  { table: "api_keys", column: "created_by_id", onUserDeleted: "cleared" },
  { table: "runs", column: "created_by_id", onUserDeleted: "cleared" },
  { table: "webhook_endpoints", column: "created_by_id", onUserDeleted: "cleared" },
  {
    table: "audit_logs",
    column: "actor_id",
    onUserDeleted: {
      kept:
        "the audit trail is append-only evidence of who changed what; the id now names an " +
        "anonymised tombstone (no email, no name)",
    },
  },
];

// Dependents first: a module's tables may reference an earlier module's (test suites →
// projects), never a later one's, so erasure walks the list backwards.
const erasureOrder = (modules: readonly AnyModule[]) => [...modules].reverse();

/** Runs every module's user erasure (core's included) inside the caller's transaction. */
export async function eraseUserData(
  tx: TransactionClient,
  modules: readonly AnyModule[],
  userId: string,
): Promise<void> {
  for (const module of erasureOrder(modules)) await module.gdpr.deleteUser?.(tx, userId);
}

/** What keeps the organization from being deleted now, per the modules (empty: nothing). */
export async function organizationDeletionBlockers(
  tx: TransactionClient,
  modules: readonly AnyModule[],
  organizationId: string,
): Promise<string[]> {
  const reasons: string[] = [];
  for (const module of modules) {
    const reason = await module.gdpr.blocksOrganizationDeletion?.(tx, organizationId);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Runs every module's organization erasure, then deletes the organization (cascade). */
export async function eraseOrganization(
  tx: TransactionClient,
  modules: readonly AnyModule[],
  organizationId: string,
): Promise<void> {
  for (const module of erasureOrder(modules)) {
    await module.gdpr.deleteOrganization?.(tx, organizationId);
  }
  await tx.organization.delete({ where: { id: organizationId } });
}

export interface PersonalDataExport {
  exportedAt: Date;
  /** Module key → what that module holds ("core": the account itself). */
  modules: Record<string, Record<string, unknown>>;
}

async function collect(
  modules: readonly AnyModule[],
  read: (module: AnyModule) => Promise<Record<string, unknown>> | undefined,
): Promise<PersonalDataExport["modules"]> {
  const sections: PersonalDataExport["modules"] = {};
  for (const module of modules) {
    const section = await read(module);
    if (section) sections[module.key] = section;
  }
  return sections;
}

/** Every module's part of the user (core's first): the export's data.json and exportMyData. */
export function collectUserData(
  tx: TransactionClient,
  modules: readonly AnyModule[],
  userId: string,
): Promise<PersonalDataExport["modules"]> {
  return collect(modules, (module) => module.gdpr.exportUser?.(tx, userId));
}

/** The signed-in user's data, every module's part, as one JSON document; audited. */
export async function exportMyData(scope: UserScope): Promise<PersonalDataExport> {
  const userId = scope.actor.user.id;
  return scope
    .asSystem("personal data export: the user's rows in every organization")
    .$transaction(async (tx) => {
      const modules = await collectUserData(tx, scope.product.modules, userId);
      await recordAudit(tx, scope, {
        organizationId: null,
        action: "user.data_exported",
        targetType: "user",
        targetId: userId,
        changes: { modules: { to: Object.keys(modules) } },
      });
      return { exportedAt: scope.clock.now(), modules };
    });
}

/** The organization's data, every module's part (owners and admins); audited in its log. */
export async function exportOrganizationData(scope: MemberScope): Promise<PersonalDataExport> {
  const organizationId = scope.organization.id;
  return scope
    .asSystem("organization export: every module's rows of this organization")
    .$transaction(async (tx) => {
      const modules = await collect(scope.product.modules, (module) =>
        module.gdpr.exportOrganization?.(tx, organizationId),
      );
      await recordAudit(tx, scope, {
        organizationId,
        action: "organization.data_exported",
        targetType: "organization",
        targetId: organizationId,
        changes: { modules: { to: Object.keys(modules) } },
      });
      return { exportedAt: scope.clock.now(), modules };
    });
}

/** The core's part of an organization export: never a key hash, signing secret or provider id. */
export async function exportCoreOrganization(tx: TransactionClient, organizationId: string) {
  const where = { organizationId };
  return {
    organization: await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { id: true, name: true, slug: true, createdAt: true },
    }),
    members: await tx.membership.findMany({
      where,
      orderBy: { createdAt: "asc" },
      select: {
        role: true,
        createdAt: true,
        user: { select: { id: true, email: true, name: true } },
      },
    }),
    subscription: await tx.subscription.findUnique({
      where,
      select: {
        planKey: true,
        status: true,
        provider: true,
        interval: true,
        currentPeriodStart: true,
        currentPeriodEnd: true,
        cancelAtPeriodEnd: true,
        trialEndsAt: true,
        startedAt: true,
        canceledAt: true,
      },
    }),
    invoices: await tx.invoice.findMany({
      where,
      orderBy: { createdAt: "asc" },
      select: {
        number: true,
        status: true,
        currency: true,
        amountDue: true,
        amountPaid: true,
        description: true,
        periodStart: true,
        periodEnd: true,
        createdAt: true,
      },
    }),
    apiKeys: await tx.apiKey.findMany({ where, orderBy: { createdAt: "asc" }, select: apiKeyView }),
    webhookEndpoints: await tx.webhookEndpoint.findMany({
      where,
      orderBy: { createdAt: "asc" },
      select: { url: true, description: true, eventTypes: true, enabled: true, createdAt: true },
    }),
    auditLog: await tx.auditLog.findMany({
      where,
      orderBy: { createdAt: "asc" },
      select: {
        action: true,
        actorType: true,
        actorId: true,
        targetType: true,
        targetId: true,
        changes: true,
        createdAt: true,
      },
    }),
  };
}
