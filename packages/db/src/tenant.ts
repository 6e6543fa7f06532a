// Tenant-scoped data access: layers 2 and 3 of docs/tenancy.md in one place.
//
// `scopedClient(prisma, scope)` returns a client whose every model query
//   - gets `organizationId = scope.organizationId` added to its filter (and to created rows)
//     when the model is tenant-owned (layer 2: the application filter), and
//   - runs in a transaction that first sets `app.organization_id` / `app.user_id`, so
//     PostgreSQL row-level security (layer 3) sees the tenant even if a filter is forgotten.
// `tenantTransaction(prisma, scope, fn)` runs several statements atomically under the same
// settings (RLS applies; write the organization filter yourself inside).
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

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
  "VaultSecret",
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

function settingsQuery(prisma: PrismaClient, scope: TenantScope) {
  return prisma.$executeRaw`SELECT set_config('app.organization_id', ${scope.organizationId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`;
}

export function scopedClient(prisma: PrismaClient, scope: TenantScope) {
  return prisma.$extends({
    name: "tenant-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const scopedArgs =
            scope.organizationId && TENANT_MODELS.has(model as Prisma.ModelName)
              ? addTenant(operation, args as Args, scope.organizationId)
              : args;
          const [, result] = await prisma.$transaction([
            settingsQuery(prisma, scope),
            query(scopedArgs as typeof args),
          ]);
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
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.organization_id', ${scope.organizationId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`;
    return fn(tx);
  });
}
