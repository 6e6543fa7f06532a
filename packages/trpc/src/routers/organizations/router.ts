// Organizations: the switcher's list, creation, the organization page, rename, delete, export,
// members.
import {
  createOrganizationInput,
  deleteOrganizationInput,
  updateOrganizationInput,
} from "@plinth/platform/contracts";
import * as organizations from "@plinth/platform/organizations";
import { exportOrganizationData } from "@plinth/platform/personal-data";
import {
  orgAdminProcedure,
  orgOwnerProcedure,
  orgProcedure,
  protectedProcedure,
} from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

export const organizationRouter = createTRPCRouter({
  /** The signed-in user's organizations, for the switcher. */
  list: protectedProcedure.query(({ ctx }) => organizations.listMyOrganizations(ctx.scope)),

  create: protectedProcedure
    .input(createOrganizationInput)
    .mutation(({ ctx, input }) => organizations.createOrganization(ctx.scope, input)),

  /** The organization with the caller's role and its plan state (banners, gating hints). */
  get: orgProcedure.query(({ ctx }) => organizations.organizationOverview(ctx.scope)),

  update: orgAdminProcedure
    .input(updateOrganizationInput)
    .mutation(({ ctx, input }) => organizations.renameOrganization(ctx.scope, input)),

  delete: orgOwnerProcedure
    .meta({ allowWhenReadOnly: true })
    .input(deleteOrganizationInput)
    .mutation(({ ctx, input }) => organizations.deleteOrganization(ctx.scope, input)),

  /** Every module's data of the organization as one JSON document (portability, GDPR). */
  exportData: orgAdminProcedure
    .meta({ allowWhenReadOnly: true })
    .mutation(({ ctx }) => exportOrganizationData(ctx.scope)),

  members: orgProcedure.query(({ ctx }) => organizations.listMembers(ctx.scope)),
});
