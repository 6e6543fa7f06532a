// The managed-hosting module: an app catalogue (./catalogue.ts), workspaces (one hosted app
// each) provisioned, updated and destroyed by runs on the core run engine (run kind
// "hosting-provision", steps init → plan → apply | destroy with their output stored) through a
// provider adapter (./providers: local PostgreSQL databases and roles, or Terraform), with an
// audit entry per environment change and alerts when a run fails; the hosting.syncAccess cron
// job suspends the workspaces of read-only organizations and resumes them (./access.ts); custom
// domains verified by a DNS TXT record, with a record in Plinth's zone (./domains.ts), re-checked
// by the hosting.checkDomains cron (./domain-checks.ts); the operator console's dashboard with
// the retry of failed runs (./operator.ts). The model:
// prisma/schema/hosting.prisma; the product: docs/products/managed-hosting.md.
import { resolveAccess } from "@plinth/billing/entitlements";
import { billingEnv } from "@plinth/billing/env";
import { createRun } from "@plinth/jobs";
import { defineModule } from "@plinth/platform";
import { HOSTING_APPS } from "./catalogue.ts";
import { HOSTING_RUN_KIND, hostingJobs } from "./jobs.ts";

export { HOSTING_RUN_KIND, hostingJobs } from "./jobs.ts";
export { HOSTING_APPS, HOSTING_BUNDLES, HOSTING_ITEMS, HOSTING_REGIONS } from "./catalogue.ts";

export const hostingModule = defineModule({
  key: "hosting",
  name: "Managed hosting",
  description: "Hosted open-source apps in workspaces, provisioned on request.",
  features: {
    "hosting.largeSizes": { description: "Large workspace sizes" },
  },
  limits: {
    workspaces: {
      description: "Hosted workspaces (not destroyed)",
      count: (tx, organizationId) =>
        tx.hostingWorkspace.count({ where: { organizationId, state: { not: "DESTROYED" } } }),
    },
  },
  apiScopes: {
    "workspaces:read": "Read hosted workspaces and their provisioning runs",
    "workspaces:write": "Request, change and destroy hosted workspaces and their custom domains",
  },
  runKinds: [HOSTING_RUN_KIND],
  jobs: Object.values(hostingJobs),
  // Every 5 minutes: workspaces of read-only organizations are suspended, of writable ones
  // resumed (./access.ts); then the workspace items are reconciled (./billing.ts).
  // Every 10 minutes: pending custom domains checked, verified ones daily (./domain-checks.ts).
  cron: [
    { job: hostingJobs.syncAccess, match: "*/5 * * * *", maxAttempts: 3 },
    { job: hostingJobs.checkDomains, match: "*/10 * * * *", maxAttempts: 3 },
  ],
  webhookEvents: {
    "workspace.ready": { description: "A hosted workspace was provisioned and is ready" },
    "workspace.failed": {
      description: "A provisioning, update or destroy run of a workspace failed",
    },
    "domain.verified": {
      description: "A workspace's custom domain passed its DNS (TXT) check",
    },
    "domain.expired": {
      description:
        "A workspace's custom domain expired: its TXT record stayed missing after verification, or it was never verified in time",
    },
  },
  nav: [{ segment: "workspaces", label: "Workspaces", icon: "server", order: 14 }],
  tenantModels: ["HostingWorkspace", "HostingRun", "HostingRunStep", "HostingDomain"],
  operatorCounts: [
    {
      key: "hostingWorkspaces",
      label: "Workspaces",
      count: async (db, organizationIds) => {
        const groups = await db.hostingWorkspace.groupBy({
          by: ["organizationId"],
          where: { organizationId: { in: [...organizationIds] }, state: { not: "DESTROYED" } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.organizationId, group._count._all]));
      },
    },
  ],
  /**
   * One workspace per name, of the first app, requested: the dev worker provisions it. Not for
   * an organization that may only read (a lapsed trial, a churned customer of the history): it
   * could not have requested one (gating refuses), and hosting.syncAccess would only suspend
   * what the worker had just provisioned.
   */
  demo: async (tx, { organizationId, ownerId, names }) => {
    const organization = await tx.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { trialEndsAt: true, createdAt: true, subscription: true },
    });
    const access = resolveAccess({
      organization,
      subscription: organization.subscription,
      now: new Date(),
      pastDueGraceDays: billingEnv().BILLING_PAST_DUE_GRACE_DAYS,
    });
    if (access.access === "read_only") return;
    const app = HOSTING_APPS[0]!;
    for (const name of names) {
      const workspace = await tx.hostingWorkspace.create({
        data: {
          organizationId,
          name,
          app: app.key,
          version: app.versions[0]!,
          size: app.sizes[0]!.key,
          region: "eu-central",
          createdById: ownerId,
        },
      });
      const run = await createRun(tx, {
        organizationId,
        kind: HOSTING_RUN_KIND,
        input: {},
        createdById: ownerId,
      });
      const hostingRun = await tx.hostingRun.create({
        data: {
          organizationId,
          workspaceId: workspace.id,
          runId: run.id,
          action: "PROVISION",
          target: { version: workspace.version, size: workspace.size },
          createdById: ownerId,
        },
      });
      await tx.hostingWorkspace.update({
        where: { id: workspace.id },
        data: { activeRunId: hostingRun.id },
      });
    }
  },
  gdpr: {
    exportUser: async (tx, userId) => ({
      hostingWorkspacesRequested: await tx.hostingWorkspace.findMany({
        where: { createdById: userId },
        orderBy: { createdAt: "asc" },
        select: { id: true, organizationId: true, name: true, app: true, createdAt: true },
      }),
    }),
    // Workspaces and their runs are the organization's infrastructure: they stay, anonymous.
    deleteUser: async (tx, userId) => {
      const authored = { where: { createdById: userId }, data: { createdById: null } };
      await tx.hostingWorkspace.updateMany(authored);
      await tx.hostingRun.updateMany(authored);
      await tx.hostingDomain.updateMany(authored);
    },
    userReferences: [
      { table: "hosting_workspaces", column: "created_by_id", onUserDeleted: "cleared" },
      { table: "hosting_runs", column: "created_by_id", onUserDeleted: "cleared" },
      { table: "hosting_domains", column: "created_by_id", onUserDeleted: "cleared" },
    ],
    exportOrganization: async (tx, organizationId) => ({
      hostingWorkspaces: await tx.hostingWorkspace.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          name: true,
          app: true,
          version: true,
          size: true,
          region: true,
          provider: true,
          state: true,
          createdAt: true,
          destroyedAt: true,
          domains: {
            orderBy: { createdAt: "asc" },
            select: {
              hostname: true,
              status: true,
              verifiedAt: true,
              dnsRecordName: true,
              createdAt: true,
            },
          },
        },
      }),
    }),
    // A workspace's database (or cloud resources) lives outside ours: deleting its rows would
    // orphan it, so the organization destroys its workspaces first.
    blocksOrganizationDeletion: async (tx, organizationId) => {
      const live = await tx.hostingWorkspace.count({
        where: { organizationId, state: { not: "DESTROYED" } },
      });
      return live === 0
        ? null
        : `has ${live} hosting workspace${live === 1 ? "" : "s"}: destroy ${live === 1 ? "it" : "them"} first`;
    },
    deleteOrganization: async (tx, organizationId) => {
      await tx.hostingDomain.deleteMany({ where: { organizationId } });
      await tx.hostingRunStep.deleteMany({ where: { organizationId } });
      await tx.hostingRun.deleteMany({ where: { organizationId } });
      await tx.hostingWorkspace.deleteMany({ where: { organizationId } });
    },
  },
});

export default hostingModule;
