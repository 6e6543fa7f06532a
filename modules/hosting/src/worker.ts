// The hosting module's worker adapter: the "hosting-provision" run kind (./executor.ts) with
// the provider adapters by key (local PostgreSQL; terraform: packages/terraform's CLI driver),
// the cron jobs hosting.syncAccess (./access.ts, then the items reconcile of ./billing.ts) and
// hosting.checkDomains (./domain-checks.ts), and hosting.syncItems (one organization's items).
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker, type ModuleJobContext } from "@plinth/platform/worker";
import { terraformEnv } from "@plinth/terraform";
import { localServerUrl } from "./env.ts";
import { syncWorkspaceAccess } from "./access.ts";
import { reconcileWorkspaceItems, syncOrganizationItems } from "./billing.ts";
import { checkDomains } from "./domain-checks.ts";
import { createHostingRunKind } from "./executor.ts";
import { HOSTING_RUN_KIND, hostingModule } from "./index.ts";
import type { hostingJobs } from "./jobs.ts";
import { createLocalProvider } from "./providers/local.ts";
import { createTerraformProvider } from "./providers/terraform.ts";
import type { HostingProvider } from "./providers/types.ts";

const providers: Record<string, () => HostingProvider> = {
  local: () => createLocalProvider(),
  terraform: () =>
    createTerraformProvider({
      root: terraformEnv().TERRAFORM_WORK_DIR,
      backendUrl: () => localServerUrl(),
    }),
};
const built = new Map<string, HostingProvider>();

function provider(key: string): HostingProvider {
  const make = providers[key];
  if (!make) throw new Error(`No hosting provider "${key}" is configured`);
  const made = built.get(key) ?? make();
  built.set(key, made);
  return made;
}

export const hostingRunKind = createHostingRunKind({ provider });

/** The time a cron run stands for (its `_cron.ts`), else now. */
function cronTime(payload: { _cron?: { ts: string } | undefined }): Date {
  const ts = payload._cron?.ts ? new Date(payload._cron.ts) : new Date();
  return Number.isNaN(ts.getTime()) ? new Date() : ts;
}

const handlers = {
  "hosting.syncAccess": async (payload, ctx) => {
    const outcome = await syncWorkspaceAccess(ctx.prisma, {
      provider,
      now: cronTime(payload),
      pastDueGraceDays: ctx.billing.pastDueGraceDays,
      log: (line) => ctx.log.info(line),
    });
    ctx.log.info(outcome, "hosting access synced");
    // The safety net of the items (a checkout after the trial, a lost sync): set where they differ.
    const items = await reconcileWorkspaceItems(ctx.prisma, {
      catalog: ctx.product.catalog,
      billing: ctx.billing,
      now: cronTime(payload),
      log: (line) => ctx.log.info(line),
    });
    ctx.log.info(items, "hosting items reconciled");
  },
  "hosting.syncItems": async (payload, ctx) => {
    // A provider failure throws: the job is retried, and the reconcile stays the safety net.
    const change = await syncOrganizationItems(
      ctx.prisma,
      { catalog: ctx.product.catalog, billing: ctx.billing, now: new Date() },
      payload.organizationId,
    );
    ctx.log.info(
      { organizationId: payload.organizationId, changes: change?.changes ?? [] },
      "hosting items synced",
    );
  },
  "hosting.checkDomains": async (payload, ctx) => {
    const outcome = await checkDomains(ctx.prisma, {
      now: cronTime(payload),
      appUrl: ctx.appUrl,
      logger: ctx.log,
    });
    ctx.log.info(outcome, "custom domains checked");
  },
} satisfies HandlersFor<typeof hostingJobs, ModuleJobContext>;

export const worker = defineModuleWorker(hostingModule, {
  handlers,
  runKinds: { [HOSTING_RUN_KIND]: hostingRunKind },
});

export { createHostingRunKind } from "./executor.ts";
export { createLocalProvider, localNames } from "./providers/local.ts";
export { syncWorkspaceAccess } from "./access.ts";
export { reconcileWorkspaceItems, syncOrganizationItems } from "./billing.ts";
export { checkDomains } from "./domain-checks.ts";
