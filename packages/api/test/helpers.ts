// Test fixtures: real users and organizations in a per-file PostgreSQL database, and tRPC
// callers acting as a given user.
import { createCallerFactory, createContext, type SessionUser } from "../src/index.ts";
import { appRouter } from "../src/root.ts";
import { createOrganizationWithOwner } from "../src/organizations/service.ts";
import { createLogger } from "@plinth/core/logger";
import type { TestDatabase } from "@plinth/db/testing";

const createCaller = createCallerFactory(appRouter);

/** Drops every line (tests that read logs pass their own logger). */
export const silentLogger = createLogger({ level: "silent" });

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

export function callerFor(
  db: TestDatabase,
  user: SessionUser | null,
  options: { now?: () => Date; billing?: Parameters<typeof createContext>[0]["billing"] } = {},
) {
  return createCaller(
    createContext({
      db,
      user,
      requestId: "test-request",
      ipAddress: "203.0.113.7",
      logger: silentLogger,
      ...options,
    }),
  );
}

export async function createOrganization(
  db: TestDatabase,
  owner: SessionUser,
  name: string,
  now = new Date(),
) {
  return createOrganizationWithOwner(
    db.app,
    { user: owner, ipAddress: null, requestId: "fixture" },
    {
      name,
      ownerId: owner.id,
      now,
    },
  );
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
