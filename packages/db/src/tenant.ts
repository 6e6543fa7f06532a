// Tenant-scoped data access: layers 2 and 3 of docs/tenancy.md in one place.
//
// `scopedClient(prisma, scope)` returns a client whose every model query
//   - gets `organizationId = scope.organizationId` added to its filter (and to created rows)
//     when the model is tenant-owned (layer 2: the application filter), and
//   - runs in a transaction that first sets `app.organization_id` / `app.user_id`, so
//     PostgreSQL row-level security (layer 3) sees the tenant even if a filter is forgotten.
// `tenantTransaction(prisma, scope, fn)` runs several statements atomically under the same
// settings (RLS applies; write the organization filter yourself inside).
import { AsyncLocalStorage } from "node:async_hooks";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";
import {
  SETTINGS_SQL,
  isTenantPool,
  settingsValues,
  withTenantBegin,
  withTenantStatement,
} from "./tenant-begin.ts";

export interface TenantScope {
  organizationId?: string | undefined;
  userId?: string | undefined;
}

/**
 * Models whose rows belong to one organization. A test checks this list against every table
 * with an organization_id column and its row-level security policy.
 */
export const TENANT_MODELS: ReadonlySet<Prisma.ModelName> = new Set<Prisma.ModelName>([
  "Membership",
  "Invitation",
  "Subscription",
  "ApiKey",
  "UsageEvent",
  "UsageCounter",
  "UsageRollupHourly",
  "UsageRollupDaily",
  "MeterReport",
  "AuditLog",
  "OrganizationNotification",
  "Run",
  "RunLog",
  "Project",
  "Invoice",
  "RazorpaySubscription",
  "SubscriptionItem",
  "VaultSecret",
  "IdempotencyKey",
  "WebhookEndpoint",
  "WebhookEvent",
  "WebhookDelivery",
  "ApiProductAccess",
  "AiTaskTemplate",
  "AiTaskBatch",
  "AiTask",
  "AiTaskChunk",
  "AiProviderSettings",
  "PracticeScenario",
  "PracticeSession",
  "TranscriptSegment",
  "PracticeRecording",
  "SessionFeedback",
  "MinuteLedgerEntry",
  "PracticeSettings",
  "TestEnvironment",
  "TestSuite",
  "TestCase",
  "TestWatcher",
  "TestRun",
  "TestResult",
  "HostingWorkspace",
  "HostingRun",
  "HostingRunStep",
  "HostingDomain",
]);

const FILTERED_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);

type Args = Record<string, unknown>;

function addTenant(operation: string, args: Args, organizationId: string): Args {
  const next: Args = { ...args };
  if (FILTERED_OPERATIONS.has(operation)) {
    next.where = { ...(args.where as Args | undefined), organizationId };
  }
  if (operation === "create" || operation === "upsert") {
    const key = operation === "create" ? "data" : "create";
    next[key] = { ...(args[key] as Args | undefined), organizationId };
  }
  if (operation === "createMany" || operation === "createManyAndReturn") {
    const data = args.data as Args | Args[];
    next.data = Array.isArray(data)
      ? data.map((row) => ({ ...row, organizationId }))
      : { ...data, organizationId };
  }
  return next;
}

/** The RLS settings of `scope` for this transaction (see tenant-begin.ts for its round trip). */
function settingsQuery(prisma: PrismaClient | TransactionClient, scope: TenantScope) {
  return prisma.$executeRawUnsafe(SETTINGS_SQL, ...settingsValues(scope));
}

/** Single reads the app pool runs in a tenant transaction of their own (tenant-begin.ts). */
const STATEMENT_READS = new Set([
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
]);

export function scopedClient(prisma: PrismaClient, scope: TenantScope) {
  const statementPath = isTenantPool(prisma);
  return prisma.$extends({
    name: "tenant-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          // As plain Args: a union with every model's args type is past what tsc represents.
          const plainArgs: Args = args;
          const scopedArgs =
            scope.organizationId && TENANT_MODELS.has(model)
              ? addTenant(operation, plainArgs, scope.organizationId)
              : plainArgs;
          if (statementPath && STATEMENT_READS.has(operation)) {
            // Awaited inside: a Prisma query starts when awaited, and must start in the mark.
            return withTenantStatement(scope, async () => await query(scopedArgs as typeof args));
          }
          // One transaction: the RLS settings, then the query (the settings go with BEGIN).
          const [, result] = await withTenantBegin(scope, () =>
            prisma.$transaction([settingsQuery(prisma, scope), query(scopedArgs as typeof args)]),
          );
          return result;
        },
      },
    },
  });
}

export type ScopedClient = ReturnType<typeof scopedClient>;
export type TransactionClient = Prisma.TransactionClient;

export async function tenantTransaction<T>(
  prisma: PrismaClient,
  scope: TenantScope,
  fn: (tx: TransactionClient) => Promise<T>,
): Promise<T> {
  return withTenantBegin(scope, () =>
    prisma.$transaction(async (tx) => {
      await settingsQuery(tx, scope);
      return fn(tx);
    }),
  );
}

// ─── What a request scope carries ─────────────────────────────────────────────────────────

/** Statements in one transaction under the scope's RLS settings. */
export type Transact = <T>(fn: (tx: TransactionClient) => Promise<T>) => Promise<T>;

/** A signed-in user's data access, before any organization: their own rows across tenants. */
export interface UserDb {
  readonly userId: string | null;
  /** Each query in its own transaction with `app.user_id` set (memberships, organizations). */
  readonly client: ScopedClient;
  readonly transaction: Transact;
  /** The RLS-bound client itself, for the few things no tenant owns (definer functions). */
  readonly app: PrismaClient;
}

/** An organization's data access: layers 2 and 3 of docs/tenancy.md for one tenant. */
export interface TenantDb extends UserDb {
  readonly organizationId: string;
  /**
   * Several statements atomically under RLS for this organization. Inside `holdTransaction`
   * (a plan limit held by @plinth/billing's holdLimit) it joins that locked transaction
   * instead of opening one, so the limit's count and the caller's writes commit together.
   */
  readonly transaction: Transact;
}

const held = new AsyncLocalStorage<{ organizationId: string; tx: TransactionClient }>();

/**
 * Runs `fn` so that every TenantDb.transaction() of the same organization inside it joins
 * `tx` (already open under that organization's settings) instead of opening its own.
 */
export function holdTransaction<T>(
  organizationId: string,
  tx: TransactionClient,
  fn: () => Promise<T>,
): Promise<T> {
  return held.run({ organizationId, tx }, fn);
}

// Each scope's extended client is made on first use: Prisma's $extends is ~5% of a gateway
// request's CPU (measured with --cpu-prof), and most scopes of the gateway and of tRPC never
// touch the client of the scope they do not query through (a user scope under an org scope).
export function userDb(app: PrismaClient, userId: string | null): UserDb {
  const scope = { userId: userId ?? undefined };
  let client: ScopedClient | undefined;
  return {
    userId,
    get client() {
      return (client ??= scopedClient(app, scope));
    },
    transaction: (fn) => tenantTransaction(app, scope, fn),
    app,
  };
}

export function tenantDb(
  app: PrismaClient,
  scope: { organizationId: string; userId?: string | null },
): TenantDb {
  const settings = { organizationId: scope.organizationId, userId: scope.userId ?? undefined };
  let client: ScopedClient | undefined;
  return {
    organizationId: scope.organizationId,
    userId: scope.userId ?? null,
    get client() {
      return (client ??= scopedClient(app, settings));
    },
    transaction: (fn) => {
      const open = held.getStore();
      return open?.organizationId === scope.organizationId
        ? fn(open.tx)
        : tenantTransaction(app, settings, fn);
    },
    app,
  };
}
