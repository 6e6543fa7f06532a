// The request scope: what every service receives instead of a transport's context. It says
// who acts (a signed-in user, an API key, the system, or nobody), carries the request's id,
// clock, logger and client address, and the RLS-bound database access for that actor. The
// RLS-bypassing client is not a field: `scope.asSystem("why")` hands it out, one greppable
// step with a reason (logged at debug). Transports (tRPC procedures, gateway routes) build a
// scope; services never see the transport. Binding an organization (membership, role,
// entitlements) happens in @plinth/platform (bindOrganization), which knows the product.
import { randomUUID } from "node:crypto";
import { systemClient, userDb, type Database, type PrismaClient, type UserDb } from "@plinth/db";
import { AppError } from "./errors.ts";
import { lazyChildLogger, type Logger } from "./logger.ts";
import { rootLogger } from "./root-logger.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  platformRole: "USER" | "SUPER_ADMIN";
  status: "ACTIVE" | "SUSPENDED" | "DELETED";
  /** When the email address was verified (null: not yet; undefined: not loaded). */
  emailVerified?: Date | null;
}

/** An API key acting for its organization (the public gateway, issue 12, fills these in). */
export interface ApiKeyIdentity {
  id: string;
  organizationId: string;
  name: string;
  scopes: readonly string[];
}

export type UserActor = {
  kind: "user";
  user: SessionUser;
  /** The session cookie's token of this request (to tell "this device" apart); never logged. */
  sessionToken: string | null;
};
export type Actor =
  | UserActor
  | { kind: "apiKey"; key: ApiKeyIdentity }
  | { kind: "system"; reason: string }
  | { kind: "anonymous" };

export const ANONYMOUS: Actor = { kind: "anonymous" };

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface BaseScope {
  readonly requestId: string;
  readonly clock: Clock;
  /** This request's logger: request id and actor bound (org scopes add the organization). */
  readonly logger: Logger;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly actor: Actor;
  /** The actor's RLS-bound data access (no organization yet: their own rows). */
  readonly db: UserDb;
  /** The RLS-bypassing client, for work no tenant owns; say why (logged at debug). */
  asSystem(reason: string): PrismaClient;
}

export interface CreateScopeOptions {
  database: Database;
  actor?: Actor;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The process's root logger (default: rootLogger()); the scope holds a child of it. */
  logger?: Logger;
  clock?: Clock;
}

function actorFields(actor: Actor): Record<string, string> {
  switch (actor.kind) {
    case "user":
      return { userId: actor.user.id };
    case "apiKey":
      return { apiKeyId: actor.key.id };
    case "system":
      return { actor: "system" };
    case "anonymous":
      return {};
  }
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.user.id : null;
}

export function createScope(options: CreateScopeOptions): BaseScope {
  const requestId = options.requestId ?? randomUUID();
  const actor = options.actor ?? ANONYMOUS;
  const parent = options.logger ?? rootLogger();
  // Made when something logs (most requests never do).
  const logger = lazyChildLogger(parent, { requestId, ...actorFields(actor) });
  const { database } = options;
  return {
    requestId,
    clock: options.clock ?? systemClock,
    logger,
    ip: options.ip ?? null,
    userAgent: options.userAgent ?? null,
    actor,
    db: userDb(database.app, actorUserId(actor)),
    asSystem(reason) {
      // The parent's level is the child's: asking it does not make the child.
      if (parent.isLevelEnabled("debug")) logger.debug({ reason }, "system client");
      return systemClient(database, reason);
    },
  };
}

/** The signed-in, active user acting in `scope`, or the refusal. */
export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new AppError({ code: "UNAUTHENTICATED" });
  if (actor.user.status !== "ACTIVE") throw new AppError({ code: "ACCOUNT_DISABLED" });
  return actor;
}
