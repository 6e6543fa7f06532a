import { orgAdminProcedure, orgOwnerProcedure, orgProcedure } from "../middleware/organization.ts";
import { AppError } from "../errors.ts";
import { changedFields, recordAudit, snapshot } from "../audit.ts";
import { createTRPCRouter, protectedProcedure } from "../trpc.ts";
import {
  createOrganizationInput,
  deleteOrganizationInput,
  updateOrganizationInput,
} from "./contract.ts";
import { createOrganizationWithOwner } from "./service.ts";

/** What the API shows of an organization (never its Stripe ids). */
const organizationView = { id: true, name: true, slug: true } as const;

export const organizationRouter = createTRPCRouter({
  /** The signed-in user's organizations, for the switcher. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.userDb.membership.findMany({
      where: { userId: ctx.user.id },
      select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
      orderBy: { createdAt: "asc" },
    });
    return memberships.map((m) => ({ ...m.organization, role: m.role }));
  }),

  create: protectedProcedure.input(createOrganizationInput).mutation(async ({ ctx, input }) => {
    const organization = await createOrganizationWithOwner(ctx.db.app, ctx, {
      name: input.name,
      ownerId: ctx.user.id,
      now: ctx.now(),
    });
    return { id: organization.id, name: organization.name, slug: organization.slug };
  }),

  /** The organization with the caller's role and its plan state (banners, gating hints). */
  get: orgProcedure.query(({ ctx }) => {
    const { entitlements } = ctx.org;
    return {
      id: ctx.org.id,
      name: ctx.org.name,
      slug: ctx.org.slug,
      role: ctx.org.role,
      plan: { key: entitlements.plan.key, name: entitlements.plan.name },
      status: entitlements.status,
      access: entitlements.access,
      readOnlyReason: entitlements.readOnlyReason,
      trialEndsAt: entitlements.trialEndsAt,
      graceEndsAt: entitlements.graceEndsAt,
      limits: entitlements.limits,
      features: entitlements.features,
    };
  }),

  update: orgAdminProcedure.input(updateOrganizationInput).mutation(({ ctx, input }) =>
    ctx.tx(async (tx) => {
      const before = await tx.organization.findUniqueOrThrow({
        where: { id: ctx.org.id },
        select: { name: true },
      });
      const updated = await tx.organization.update({
        where: { id: ctx.org.id },
        data: { name: input.name },
        select: organizationView,
      });
      await recordAudit(tx, ctx, {
        organizationId: ctx.org.id,
        action: "organization.updated",
        targetType: "organization",
        targetId: ctx.org.id,
        changes: changedFields(before, { name: input.name }),
      });
      return updated;
    }),
  ),

  delete: orgOwnerProcedure
    .meta({ allowWhenReadOnly: true })
    .input(deleteOrganizationInput)
    .mutation(async ({ ctx, input }) => {
      if (input.confirmSlug !== ctx.org.slug) {
        throw new AppError({
          code: "INVALID_STATE",
          detail: "Type the organization's slug to confirm",
        });
      }
      // The organization's own log is deleted with it (cascade), so the fact is kept in the
      // platform log (organization_id NULL), which only the privileged path can write.
      await ctx.db.system.$transaction(async (system) => {
        await system.organization.delete({ where: { id: ctx.org.id } });
        await recordAudit(system, ctx, {
          organizationId: null,
          action: "organization.deleted",
          targetType: "organization",
          targetId: ctx.org.id,
          changes: snapshot({ name: ctx.org.name, slug: ctx.org.slug }, "from"),
        });
      });
      return { id: ctx.org.id };
    }),

  members: orgProcedure.query(async ({ ctx }) => {
    const members = await ctx.orgDb.membership.findMany({
      select: {
        id: true,
        role: true,
        createdAt: true,
        user: { select: { id: true, name: true, email: true, image: true } },
      },
      orderBy: { createdAt: "asc" },
    });
    return members;
  }),
});
