// The test-automation module's worker adapter: the "test-run" run kind (./executor.ts) with a
// shared keep-alive HTTP runner and, on first use, one Chromium (playwright-core), and the
// minute tick that starts scheduled runs (./schedule.ts).
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker } from "@plinth/platform/worker";
import { createHttpRunner, type BrowserTestRunner, type HttpRunner } from "@plinth/test-engine";
import { artifactStore } from "./artifacts.ts";
import { createTestRunKind } from "./executor.ts";
import { TEST_RUN_KIND, testAutomationModule } from "./index.ts";
import { type testJobs } from "./jobs.ts";
import { runDueSchedules } from "./schedule.ts";

let http: HttpRunner | undefined;
let browser: Promise<BrowserTestRunner> | undefined;

export const testRunKind = createTestRunKind({
  http: () => (http ??= createHttpRunner()),
  browser: () =>
    (browser ??= import("@plinth/test-engine/browser").then(({ createBrowserRunner }) =>
      createBrowserRunner(),
    )),
  artifacts: artifactStore,
});

const handlers = {
  "testAutomation.scheduleTick": async (payload, ctx) => {
    const ts = payload._cron?.ts ? new Date(payload._cron.ts) : new Date();
    const outcome = await runDueSchedules(ctx.prisma, Number.isNaN(ts.getTime()) ? new Date() : ts);
    if (outcome.started.length || outcome.skipped.length) {
      ctx.log.info({ started: outcome.started, skipped: outcome.skipped }, "scheduled test runs");
    }
  },
} satisfies HandlersFor<typeof testJobs>;

export const worker = defineModuleWorker(testAutomationModule, {
  handlers,
  runKinds: { [TEST_RUN_KIND]: testRunKind },
});
