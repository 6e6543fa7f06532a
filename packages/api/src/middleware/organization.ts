// Tenancy layer 1: an org procedure names its organization in input.organizationId; the
// caller must be a member, otherwise the organization does not exist for them (NOT_FOUND).
// The context then carries the membership role, the organization's entitlements (resolved
// once per request) and tenant-scoped data access (layers 2 and 3, see @plinth/db/tenant).
import { z } from "zod";
import {
  cheapestPlanWhere,
  resolveEntitlements,
  type Entitlements,
  type FeatureKey,
  type Plan,
} from "@plinth/billing";
import {
  findMembershipContext,
  scopedClient,
  tenantTransaction,
  type TransactionClient,
} from "@plinth/db";
import { AppError, notFound, type UpgradeOffer } from "../errors.ts";
import { organizationId } from "../inputs.ts";
import { protectedProcedure } from "../trpc.ts";

export type Role = "OWNER" | "ADMIN" | "MEMBER";
const ROLE_RANK: Record<Role, number> = { MEMBER: 0, ADMIN: 1, OWNER: 2 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}

export function upgradeOffer(satisfies: (plan: Plan) => boolean): UpgradeOffer | null {
  const plan = cheapestPlanWhere(satisfies);
  return plan ? { planKey: plan.key, planName: plan.name } : null;
}

export const organizationInput = z.object({ organizationId });

export const orgProcedure = protectedProcedure
  .meta({ scope: "org" })
  .input(organizationInput)
  .use(async ({ ctx, input, next, type, meta }) => {
    const scope = { organizationId: input.organizationId, userId: ctx.user.id };
    const membership = await findMembershipContext(ctx.db.app, scope.organizationId, scope.userId);
    if (!membership) throw notFound("Organization");
    const { organization } = membership;
    const entitlements: Entitlements = resolveEntitlements({
      organization,
      subscription: membership.subscription,
      now: ctx.now(),
      pastDueGraceDays: ctx.config.pastDueGraceDays,
    });
    if (type === "mutation" && entitlements.access === "read_only" && !meta?.allowWhenReadOnly) {
      throw new AppError({
        code: "READ_ONLY",
        reason: entitlements.readOnlyReason ?? "SUBSCRIPTION_INACTIVE",
        currentPlan: entitlements.plan.key,
        upgrade: upgradeOffer(() => true),
      });
    }
    return next({
      ctx: {
        logger: ctx.bindLog({ organizationId: organization.id }),
        org: {
          id: organization.id,
          name: organization.name,
          slug: organization.slug,
          role: membership.role,
          entitlements,
        },
        /** Tenant-scoped client: filters by this organization and sets it for RLS. */
        orgDb: scopedClient(ctx.db.app, scope),
        /** Several statements in one transaction, under RLS for this organization. */
        tx: <T>(fn: (tx: TransactionClient) => Promise<T>) =>
          tenantTransaction(ctx.db.app, scope, fn),
      },
    });
  });

export type OrgContext = {
  org: {
    id: string;
    name: string;
    slug: string;
    role: Role;
    entitlements: Entitlements;
  };
};

function requireRole(atLeast: Role) {
  return orgProcedure.use(({ ctx, next }) => {
    if (!hasRole(ctx.org.role, atLeast)) {
      throw new AppError({
        code: "FORBIDDEN_ROLE",
        requiredRole: atLeast === "OWNER" ? "OWNER" : "ADMIN",
      });
    }
    return next();
  });
}

export const orgAdminProcedure = requireRole("ADMIN");
export const orgOwnerProcedure = requireRole("OWNER");

export function assertFeature(entitlements: Entitlements, feature: FeatureKey): void {
  if (!entitlements.features[feature]) {
    throw new AppError({
      code: "FEATURE_NOT_IN_PLAN",
      feature,
      currentPlan: entitlements.plan.key,
      upgrade: upgradeOffer((plan) => plan.features[feature]),
    });
  }
}
