// The projects module: an organization's projects (create, rename, archive, delete), with the
// plan's `projects` limit counting active ones. The template for every product module: this
// file is the declaration (no transport); contract.ts, service.ts, trpc.ts, http.ts and
// worker.ts are beside it, the model in prisma/schema/projects.prisma; its pages are the web
// app's route segment named by its nav entry (apps/web/src/app/o/[slug]/projects).
// docs/modules.md walks through it.
import { defineModule } from "@plinth/platform";

export const projectsModule = defineModule({
  key: "projects",
  name: "Projects",
  description: "Projects of an organization, limited per plan.",
  limits: {
    projects: {
      description: "Active projects (archived ones do not count)",
      count: (tx, organizationId) =>
        tx.project.count({ where: { organizationId, status: "ACTIVE" } }),
    },
  },
  apiScopes: {
    "projects:read": "List and read projects",
    "projects:write": "Create, rename, archive and delete projects",
  },
  nav: [{ segment: "projects", label: "Projects", icon: "folder", order: 10 }],
  tenantModels: ["Project"],
  operatorCounts: [
    {
      key: "projects",
      label: "Projects",
      count: async (db, organizationIds) => {
        const groups = await db.project.groupBy({
          by: ["organizationId"],
          where: { organizationId: { in: [...organizationIds] } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.organizationId, group._count._all]));
      },
    },
  ],
  demo: async (tx, { organizationId, ownerId, names }) => {
    await tx.project.createMany({
      data: names.map((name) => ({ organizationId, name, createdById: ownerId })),
    });
  },
  gdpr: {
    exportUser: async (tx, userId) => ({
      projectsCreated: await tx.project.findMany({
        where: { createdById: userId },
        orderBy: { createdAt: "asc" },
        select: { id: true, organizationId: true, name: true, createdAt: true },
      }),
    }),
    // Projects belong to the organization: they stay, without their author.
    deleteUser: async (tx, userId) => {
      await tx.project.updateMany({ where: { createdById: userId }, data: { createdById: null } });
    },
    userReferences: [{ table: "projects", column: "created_by_id", onUserDeleted: "cleared" }],
    exportOrganization: async (tx, organizationId) => ({
      projects: await tx.project.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: { id: true, name: true, status: true, createdAt: true, archivedAt: true },
      }),
    }),
    deleteOrganization: async (tx, organizationId) => {
      await tx.project.deleteMany({ where: { organizationId } });
    },
  },
});

export default projectsModule;
