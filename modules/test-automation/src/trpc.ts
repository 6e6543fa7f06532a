// The test-automation module's tRPC adapter: a few lines per procedure — who may call it,
// the input schema (contract.ts), the service call (service.ts, runs.ts). Members edit and
// run; deleting environments and suites needs an admin.
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  orgAdminProcedure,
  orgProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  addWatcherInput,
  createEnvironmentInput,
  createSuiteInput,
  createTestInput,
  dashboardInput,
  environmentInput,
  exportSuiteInput,
  exportTestInput,
  importSuiteInput,
  listRunsInput,
  testProjectInput,
  startTestRunInput,
  suiteInput,
  testInput,
  testResultInput,
  testRunInput,
  updateEnvironmentInput,
  updateSuiteInput,
  updateTestInput,
  watcherInput,
} from "./contract.ts";
import * as runs from "./runs.ts";
import * as tests from "./service.ts";
import { artifactLinks } from "./links.ts";

// Plan gating lives in the run service: a run needs the browser feature (and browser minutes)
// only when it has browser tests, and counts one `test.runs` against the quota.

export const testEnvironmentRouter = createTRPCRouter({
  list: orgProcedure
    .input(testProjectInput)
    .query(({ ctx, input }) => tests.listEnvironments(ctx.scope, input)),
  create: orgProcedure
    .input(createEnvironmentInput)
    .mutation(({ ctx, input }) => tests.createEnvironment(ctx.scope, input)),
  update: orgProcedure
    .input(updateEnvironmentInput)
    .mutation(({ ctx, input }) => tests.updateEnvironment(ctx.scope, input)),
  delete: orgAdminProcedure
    .input(environmentInput)
    .mutation(({ ctx, input }) => tests.deleteEnvironment(ctx.scope, input)),
});

export const testSuiteRouter = createTRPCRouter({
  list: orgProcedure
    .input(testProjectInput)
    .query(({ ctx, input }) => tests.listSuites(ctx.scope, input)),
  get: orgProcedure.input(suiteInput).query(({ ctx, input }) => tests.getSuite(ctx.scope, input)),
  create: orgProcedure
    .input(createSuiteInput)
    .mutation(({ ctx, input }) => tests.createSuite(ctx.scope, input)),
  update: orgProcedure
    .input(updateSuiteInput)
    .mutation(({ ctx, input }) => tests.updateSuite(ctx.scope, input)),
  delete: orgAdminProcedure
    .input(suiteInput)
    .mutation(({ ctx, input }) => tests.deleteSuite(ctx.scope, input)),
  export: orgProcedure
    .input(exportSuiteInput)
    .query(({ ctx, input }) => tests.exportSuite(ctx.scope, input)),
  import: orgProcedure
    .input(importSuiteInput)
    .mutation(({ ctx, input }) => tests.importSuite(ctx.scope, input)),
});

export const testCaseRouter = createTRPCRouter({
  get: orgProcedure.input(testInput).query(({ ctx, input }) => tests.getTest(ctx.scope, input)),
  export: orgProcedure
    .input(exportTestInput)
    .query(({ ctx, input }) => tests.exportTest(ctx.scope, input)),
  create: orgProcedure
    .input(createTestInput)
    .mutation(({ ctx, input }) => tests.createTest(ctx.scope, input)),
  update: orgProcedure
    .input(updateTestInput)
    .mutation(({ ctx, input }) => tests.updateTest(ctx.scope, input)),
  delete: orgProcedure
    .input(testInput)
    .mutation(({ ctx, input }) => tests.deleteTest(ctx.scope, input)),
});

export const testRunRouter = createTRPCRouter({
  start: orgProcedure
    .input(startTestRunInput)
    .mutation(({ ctx, input }) => runs.startTestRun(ctx.scope, { ...input, trigger: "MANUAL" })),
  cancel: orgProcedure
    .input(testRunInput)
    .mutation(({ ctx, input }) => runs.cancelTestRun(ctx.scope, input)),
  get: orgProcedure
    .input(testRunInput)
    .query(({ ctx, input }) => runs.getTestRun(ctx.scope, input)),
  list: orgProcedure
    .input(listRunsInput)
    .query(({ ctx, input }) => runs.listTestRuns(ctx.scope, input)),
  result: orgProcedure
    .input(testResultInput)
    .query(async ({ ctx, input }) =>
      artifactLinks(await runs.getTestResult(ctx.scope, input), ctx.scope.organization.id),
    ),
  junit: orgProcedure
    .input(testRunInput)
    .query(async ({ ctx, input }) => ({ xml: await runs.junitReport(ctx.scope, input) })),
  dashboard: orgProcedure
    .input(dashboardInput)
    .query(({ ctx, input }) => runs.projectDashboard(ctx.scope, input)),
});

export const testWatcherRouter = createTRPCRouter({
  list: orgProcedure
    .input(testProjectInput)
    .query(({ ctx, input }) => tests.listWatchers(ctx.scope, input)),
  add: orgProcedure
    .input(addWatcherInput)
    .mutation(({ ctx, input }) => tests.addWatcher(ctx.scope, input)),
  remove: orgProcedure
    .input(watcherInput)
    .mutation(({ ctx, input }) => tests.removeWatcher(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = {
  testEnvironment: testEnvironmentRouter,
  testSuite: testSuiteRouter,
  testCase: testCaseRouter,
  testRun: testRunRouter,
  testWatcher: testWatcherRouter,
};

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type TestAutomationApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type TestAutomationCaller = CallerOf<TestAutomationApi>;
export type TestAutomationOutputs = inferRouterOutputs<TestAutomationApi>;
