// The procedures every router builds on. Each builds or narrows the request scope that its
// handlers pass to services:
//   publicProcedure        anyone                              ctx.scope: RequestScope
//   protectedProcedure     a signed-in, active user            ctx.scope: UserScope
//   orgProcedure           a member of input.organizationId    ctx.scope: MemberScope
//   orgAdminProcedure      ... with role ADMIN or OWNER
//   orgOwnerProcedure      ... with role OWNER
//   platformAdminProcedure a SUPER_ADMIN (operator console)    ctx.scope: UserScope
// Tenancy (docs/tenancy.md): an org procedure names its organization in its input; someone
// who is not a member gets NOT_FOUND, the same answer as for an organization that does not
// exist (bindOrganization in @plinth/platform).
import { AppError } from "@plinth/core/errors";
import type { Role } from "@plinth/core/roles";
import { asMemberScope, asUserScope, bindOrganization, requireRole } from "@plinth/platform";
import { organizationInput } from "@plinth/platform/contracts";
import { errorBoundary, parseInputFirst, t } from "./trpc.ts";

export const publicProcedure = t.procedure
  .meta({ access: "public" })
  .use(errorBoundary)
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
