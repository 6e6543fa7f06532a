// The request scope bound to the product: @plinth/core's BaseScope (actor, request id, clock,
// logger, RLS-bound db, asSystem) plus the active product and the billing provider; and the
// organization scope services of a tenant receive — membership role, entitlements resolved
// once, and the tenant's data access (docs/tenancy.md). Transports build these: tRPC's
// procedures (packages/trpc) and, later, the gateway's routes, for users and API keys alike.
import type { Entitlements, GatingScope } from "@plinth/billing";
import { requireWritable, resolveEntitlements } from "@plinth/billing";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { AppError, notFound } from "@plinth/core/errors";
import { lazyChildLogger } from "@plinth/core/logger";
import { hasRole, type Role } from "@plinth/core/roles";
import {
  createScope,
  requireUser,
  type BaseScope,
  type CreateScopeOptions,
  type UserActor,
} from "@plinth/core/scope";
import { findMembershipContext, tenantDb, type TenantDb } from "@plinth/db";
import type { OrganizationContextCache } from "./organization-context-cache.ts";
import type { ProductRuntime } from "./product.ts";

export interface RequestScope extends BaseScope {
  readonly product: ProductRuntime;
  /** The billing provider (Stripe client or the local one) and its settings, on first use. */
  billing(): BillingRuntime;
  /** The process's cache of what binding reads (none: every bind reads). */
  readonly organizationContexts?: OrganizationContextCache;
}

/** A scope whose actor is a signed-in, active user. */
export interface UserScope extends RequestScope {
  readonly actor: UserActor;
}

export interface OrgScope extends RequestScope, GatingScope {
  readonly product: ProductRuntime;
  readonly organization: { readonly id: string; readonly name: string; readonly slug: string };
  /** The member's role; null for API keys (they have scopes, not roles). */
  readonly role: Role | null;
  readonly entitlements: Entitlements;
  readonly db: TenantDb;
}

/** An organization scope acting for a member. */
export interface MemberScope extends OrgScope {
  readonly actor: UserActor;
  readonly role: Role;
}

export interface CreateRequestScopeOptions extends CreateScopeOptions {
  product: ProductRuntime;
  billing: BillingRuntime | (() => BillingRuntime);
  organizationContexts?: OrganizationContextCache;
}

export function createRequestScope(options: CreateRequestScopeOptions): RequestScope {
  const { billing, organizationContexts } = options;
  let resolved = typeof billing === "function" ? undefined : billing;
  return {
    ...createScope(options),
    product: options.product,
    billing: () => (resolved ??= typeof billing === "function" ? billing() : billing),
    ...(organizationContexts ? { organizationContexts } : {}),
  };
}

/** The same scope for its signed-in user (UNAUTHENTICATED / ACCOUNT_DISABLED otherwise). */
export function asUserScope(scope: RequestScope): UserScope {
  const actor = requireUser(scope.actor);
  return { ...scope, actor };
}

export interface BindOptions {
  /** A write: refused with READ_ONLY while the organization may only read. */
  write: boolean;
}

/**
 * Binds `scope` to the organization it names: a member (user actor) or the key's own
 * organization (API-key actor) — anyone else gets NOT_FOUND, the same answer as for an
 * organization that does not exist. Resolves the entitlements once, refuses writes of a
 * read-only organization, and gives the tenant's RLS-bound data access.
 */
export async function bindOrganization(
  scope: RequestScope,
  organizationId: string,
  options: BindOptions,
): Promise<OrgScope> {
  return bindOrganizationContext(scope, await organizationContext(scope, organizationId), options);
}

type ReadOrganizationContext = Awaited<ReturnType<typeof readOrganizationContext>>;
/** What binding reads: the organization, its subscription and the actor's role. */
export type OrganizationContext = ReadOrganizationContext;

/**
 * The read half of bindOrganization (NOT_FOUND for anyone but a member or the key's own
 * organization), through the scope's cache when it has one (./organization-context-cache.ts).
 */
export function loadOrganizationContext(
  scope: RequestScope,
  organizationId: string,
): Promise<OrganizationContext> {
  return organizationContext(scope, organizationId);
}

/** The pure half: entitlements, the read-only rule and the tenant's data access. */
export function bindOrganizationContext(
  scope: RequestScope,
  context: OrganizationContext,
  options: BindOptions,
): OrgScope {
  const userId = scope.actor.kind === "user" ? scope.actor.user.id : null;
  const { organization } = context;
  const entitlements = entitlementsOf(scope, context);
  const bound: OrgScope = {
    ...scope,
    logger: lazyChildLogger(scope.logger, { organizationId: organization.id }),
    organization: { id: organization.id, name: organization.name, slug: organization.slug },
    role: context.role,
    entitlements,
    db: tenantDb(scope.db.app, { organizationId: organization.id, userId }),
  };
  if (options.write) requireWritable(bound);
  return bound;
}

/**
 * How long entitlements resolved for one context are reused. They depend on the clock too (a
 * trial's end, a past-due grace period, the usage period), so they are recomputed after this.
 */
export const ENTITLEMENTS_REUSE_MS = 1_000;

interface ResolvedEntitlements {
  at: number;
  catalog: ProductRuntime["catalog"];
  pastDueGraceDays: number;
  entitlements: Entitlements;
}

/**
 * Entitlements by the context they were resolved from. A context the organization-context
 * cache hands out again is the same object until a change of the organization is heard
 * (NOTIFY drops the entry: the next read is a new object, so a new resolution): the cache's
 * invalidation is this one's too.
 */
const resolvedByContext = new WeakMap<OrganizationContext, ResolvedEntitlements>();

function entitlementsOf(scope: RequestScope, context: OrganizationContext): Entitlements {
  const now = scope.clock.now();
  const { catalog } = scope.product;
  const { pastDueGraceDays } = scope.billing();
  // Without the cache every bind reads a new context: nothing would ever be reused.
  const reusable = scope.organizationContexts !== undefined;
  const resolved = reusable ? resolvedByContext.get(context) : undefined;
  const age = resolved ? now.getTime() - resolved.at : Infinity;
  if (
    resolved &&
    age >= 0 &&
    age < ENTITLEMENTS_REUSE_MS &&
    resolved.catalog === catalog &&
    resolved.pastDueGraceDays === pastDueGraceDays
  ) {
    return resolved.entitlements;
  }
  const entitlements = resolveEntitlements(catalog, {
    organization: context.organization,
    subscription: context.subscription,
    now,
    pastDueGraceDays,
  });
  if (reusable) {
    resolvedByContext.set(context, { at: now.getTime(), catalog, pastDueGraceDays, entitlements });
  }
  return entitlements;
}

function organizationContext(
  scope: RequestScope,
  organizationId: string,
): Promise<ReadOrganizationContext> {
  const cache = scope.organizationContexts;
  const { actor } = scope;
  // A member's context is theirs (the role); an API key's is its organization's.
  const actorKey =
    actor.kind === "user" ? `user:${actor.user.id}` : actor.kind === "apiKey" ? "key" : null;
  if (!cache || actorKey === null) return readOrganizationContext(scope, organizationId);
  if (actor.kind === "apiKey" && actor.key.organizationId !== organizationId) {
    return Promise.reject(notFound("Organization"));
  }
  return cache.get(organizationId, actorKey, () => readOrganizationContext(scope, organizationId));
}

async function readOrganizationContext(scope: RequestScope, organizationId: string) {
  const { actor } = scope;
  if (actor.kind === "user") {
    // One statement: the membership is what proves the tenant (app_membership_context).
    const membership = await findMembershipContext(scope.db.app, organizationId, actor.user.id);
    if (!membership) throw notFound("Organization");
    return membership;
  }
  if (actor.kind === "apiKey" && actor.key.organizationId === organizationId) {
    // A key belongs to exactly one organization; it has scopes instead of a role.
    const organization = await scope
      .asSystem("api key: its own organization's subscription state")
      .organization.findUnique({
        where: { id: organizationId },
        select: {
          id: true,
          name: true,
          slug: true,
          trialEndsAt: true,
          createdAt: true,
          subscription: {
            select: {
              planKey: true,
              status: true,
              trialEndsAt: true,
              pastDueSince: true,
              currentPeriodStart: true,
              currentPeriodEnd: true,
              cancelAtPeriodEnd: true,
            },
          },
        },
      });
    if (!organization) throw notFound("Organization");
    const { subscription, ...rest } = organization;
    return { role: null, organization: rest, subscription };
  }
  throw notFound("Organization");
}

/** Refuses unless the member's role is at least `atLeast` (API keys have no role). */
export function requireRole(scope: OrgScope, atLeast: Role): void {
  if (scope.role === null || !hasRole(scope.role, atLeast)) {
    throw new AppError({
      code: "FORBIDDEN_ROLE",
      requiredRole: atLeast === "OWNER" ? "OWNER" : "ADMIN",
    });
  }
}

/** The organization scope of a member (the user procedures of tRPC). */
export function asMemberScope(scope: OrgScope): MemberScope {
  const actor = requireUser(scope.actor);
  if (scope.role === null) throw notFound("Organization");
  return { ...scope, actor, role: scope.role };
}
