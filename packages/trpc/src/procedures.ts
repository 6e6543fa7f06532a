// The procedures every router builds on. Each builds or narrows the request scope that its
// handlers pass to services:
//   publicProcedure        anyone                              ctx.scope: RequestScope
//   protectedProcedure     a signed-in, active user            ctx.scope: UserScope
//   orgProcedure           a member of input.organizationId    ctx.scope: MemberScope
//   orgAdminProcedure      ... with role ADMIN or OWNER
//   orgOwnerProcedure      ... with role OWNER
//   platformAdminProcedure a SUPER_ADMIN (operator console)    ctx.scope: UserScope
//   orgOrKeyProcedure      a member, or an API key of input.organizationId holding the
//                          procedure's meta.apiScope             ctx.scope: OrgScope
// API keys (`Authorization: Bearer`) reach only procedures whose meta declares an apiScope;
// every other procedure refuses them (API_KEY_NOT_ALLOWED, 403) before anything runs.
// Tenancy (docs/tenancy.md): an org procedure names its organization in its input; someone
// who is not a member gets NOT_FOUND, the same answer as for an organization that does not
// exist (bindOrganization in @plinth/platform).
import { requireFeature } from "@plinth/billing/gating";
import { AppError } from "@plinth/core/errors";
import type { Role } from "@plinth/core/roles";
import { asMemberScope, asUserScope, bindOrganization, requireRole } from "@plinth/platform";
import { organizationInput } from "@plinth/platform/contracts";
import { errorBoundary, parseInputFirst, t } from "./trpc.ts";

/** Keys only where a procedure declares the scope they need; that scope only. */
const apiKeyGate = t.middleware(({ ctx, meta, next }) => {
  const { actor } = ctx.scope;
  if (actor.kind === "apiKey") {
    if (!meta?.apiScope) throw new AppError({ code: "API_KEY_NOT_ALLOWED" });
    if (!actor.key.scopes.includes(meta.apiScope)) {
      throw new AppError({ code: "INSUFFICIENT_SCOPE", requiredScope: meta.apiScope });
    }
  }
  return next();
});

export const publicProcedure = t.procedure
  .meta({ access: "public" })
  .use(errorBoundary)
  .use(apiKeyGate)
  .use(parseInputFirst);

export const protectedProcedure = publicProcedure
  .meta({ access: "user" })
  .use(({ ctx, next }) => next({ ctx: { scope: asUserScope(ctx.scope) } }));

export const orgProcedure = protectedProcedure
  .meta({ access: "org" })
  .input(organizationInput)
  .use(async ({ ctx, input, next, type, meta }) => {
    const write = type === "mutation" && !meta?.allowWhenReadOnly;
    const scope = asMemberScope(await bindOrganization(ctx.scope, input.organizationId, { write }));
    // A failure surfaces in the error boundary, above this binding: log it with the org too.
    ctx.failureLog.logger = scope.logger;
    return next({ ctx: { scope } });
  });

function withRole(atLeast: Role) {
  return orgProcedure.use(({ ctx, next }) => {
    requireRole(ctx.scope, atLeast);
    return next();
  });
}

export const orgAdminProcedure = withRole("ADMIN");
export const orgOwnerProcedure = withRole("OWNER");

export const platformAdminProcedure = protectedProcedure
  .meta({ access: "platform" })
  .use(({ ctx, next }) => {
    if (ctx.scope.actor.user.platformRole !== "SUPER_ADMIN") {
      throw new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "SUPER_ADMIN" });
    }
    return next();
  });

/**
 * A member of input.organizationId — or an API key of that organization (its own only: any
 * other organization is NOT_FOUND) holding the procedure's `meta.apiScope`, on a plan with
 * API access. Services receive an OrgScope (role null for keys).
 */
export const orgOrKeyProcedure = publicProcedure
  .meta({ access: "org" })
  .input(organizationInput)
  .use(async ({ ctx, input, next, type, meta }) => {
    const write = type === "mutation" && !meta?.allowWhenReadOnly;
    const { actor } = ctx.scope;
    const base = actor.kind === "apiKey" ? ctx.scope : asUserScope(ctx.scope);
    const bound = await bindOrganization(base, input.organizationId, { write });
    const scope = actor.kind === "apiKey" ? bound : asMemberScope(bound);
    if (actor.kind === "apiKey") requireFeature(scope, "api.access");
    ctx.failureLog.logger = scope.logger;
    return next({ ctx: { scope } });
  });
