// Test fixtures shared by every router test (exported as @plinth/trpc/testing, for tests
// only): real users and organizations in a per-file PostgreSQL database, and tRPC callers
// acting as a given user for a given product and router.
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { createLogger, type Logger } from "@plinth/core/logger";
import type { SessionUser } from "@plinth/core/scope";
import type { TestDatabase } from "@plinth/db/testing";
import { createOrganizationWithOwner, type ProductRuntime } from "@plinth/platform";
import type { AnyTRPCRouter } from "@trpc/server";
import { createCallerFactory, createContext } from "../src/trpc.ts";

/** Drops every line (tests that read logs pass their own logger). */
export const silentLogger = createLogger({ level: "silent" });

/** The local billing provider (no Stripe): every billing procedure works offline. */
export const LOCAL_BILLING: BillingRuntime = {
  stripe: null,
  appUrl: "http://app.test",
  pastDueGraceDays: 7,
};

/** A user as sign-up leaves them once verified (pass `emailVerified: null` for an unverified one). */
export async function createUser(db: TestDatabase, email: string, over: Partial<SessionUser> = {}) {
  const user = await db.system.user.create({
    data: {
      email,
      name: email.split("@")[0] ?? email,
      platformRole: over.platformRole ?? "USER",
      status: over.status ?? "ACTIVE",
      emailVerified: over.emailVerified === undefined ? new Date() : over.emailVerified,
    },
  });
  const session: SessionUser = {
    id: user.id,
    email: user.email,
    name: user.name,
    platformRole: user.platformRole,
    status: user.status,
    emailVerified: user.emailVerified,
  };
  return session;
}

export interface CallerOptions {
  now?: () => Date;
  billing?: BillingRuntime;
  logger?: Logger;
  requestId?: string;
  ip?: string | null;
  sessionToken?: string | null;
}

/** Callers and fixtures for one product and one of its routers. */
export function createTestKit<TRouter extends AnyTRPCRouter>(
  product: ProductRuntime,
  router: TRouter,
) {
  const createCaller = createCallerFactory(router as never) as (
    ctx: ReturnType<typeof createContext>,
  ) => ReturnType<ReturnType<typeof createCallerFactory<TRouter["_def"]["record"]>>>;
  return {
    product,
    router,
    // Arrow properties, not methods: the kits destructure them (`const { callerFor } = …`).
    /** A caller acting as `user` (null: signed out). */
    callerFor: (db: TestDatabase, user: SessionUser | null, options: CallerOptions = {}) =>
      createCaller(
        createContext({
          database: db,
          product,
          user,
          requestId: options.requestId ?? "test-request",
          ipAddress: options.ip === undefined ? "203.0.113.7" : options.ip,
          sessionToken: options.sessionToken ?? null,
          logger: options.logger ?? silentLogger,
          billing: options.billing ?? LOCAL_BILLING,
          ...(options.now ? { clock: { now: options.now } } : {}),
        }),
      ),
    createOrganization: (db: TestDatabase, owner: SessionUser, name: string, now = new Date()) => {
      const source = {
        actor: { kind: "user", user: owner, sessionToken: null } as const,
        ip: null,
        requestId: "fixture",
      };
      return createOrganizationWithOwner(db.app, product.catalog, source, {
        name,
        ownerId: owner.id,
        now,
      });
    },
  };
}

export async function setPlan(
  db: TestDatabase,
  organizationId: string,
  planKey: string,
  status: "ACTIVE" | "TRIALING" = "ACTIVE",
) {
  await db.system.subscription.update({ where: { organizationId }, data: { planKey, status } });
}

export async function addMember(
  db: TestDatabase,
  organizationId: string,
  user: SessionUser,
  role: "OWNER" | "ADMIN" | "MEMBER",
) {
  await db.system.membership.create({ data: { organizationId, userId: user.id, role } });
}
export { TRPCError } from "@trpc/server";
