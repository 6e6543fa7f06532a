// Fixtures for this module's tests: the managed-hosting preset with core's routers and this
// module's, and the run engine driving the hosting run kind with the local provider on the
// test database's own server (what the worker's run.execute job does).
import type { TestDatabase } from "@plinth/db/testing";
import { executeRun } from "@plinth/jobs";
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit, silentLogger } from "@plinth/trpc/testing";
import { generateKeyEntry } from "@plinth/vault";
import presets from "../../../plinth.config.ts";
import { createHostingRunKind } from "../src/executor.ts";
import { HOSTING_RUN_KIND } from "../src/jobs.ts";
import { createLocalProvider } from "../src/providers/local.ts";
import type { HostingProvider } from "../src/providers/types.ts";
import { routers } from "../src/trpc.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

export const product = createProductRuntime(presets["managed-hosting"]);
export const appRouter = createAppRouter(product, { hosting: routers });
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "@plinth/trpc/testing";

/** What the worker gives a module job besides the job context: the product, local billing. */
export const workerServices = {
  product,
  billing: { stripe: null, pastDueGraceDays: 7 },
} as const;

export const localProvider = (db: TestDatabase) => createLocalProvider({ serverUrl: () => db.url });

/** Runs the run engine on `runId` with the hosting run kind over `provider`. */
export async function runHosting(
  db: TestDatabase,
  run: { runId: string; organizationId: string },
  provider: HostingProvider = localProvider(db),
  signal: AbortSignal = new AbortController().signal,
) {
  const kind = createHostingRunKind({ provider: () => provider });
  await executeRun(
    run,
    { prisma: db.system, log: silentLogger, signal },
    { [HOSTING_RUN_KIND]: kind },
  );
}
