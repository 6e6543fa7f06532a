// The test-automation module: projects get environments (base URL, variables, vault secrets),
// suites of HTTP and browser tests (@plinth/test-engine definitions), runs on the core run
// engine (manual, scheduled, from CI through the gateway) with per-test results, JUnit XML,
// watchers emailed on failure, and the meters `test.runs` and `browser.minutes`.
// docs/products/test-automation.md. The model: prisma/schema/test-automation.prisma.
import { defineModule } from "@plinth/platform";
import { testJobs } from "./jobs.ts";
import { seedDemo } from "./demo.ts";

/** The run kind of a test run on the core run engine (executor: ./executor.ts). */
export const TEST_RUN_KIND = "test-run";

export const testAutomationModule = defineModule({
  key: "test-automation",
  name: "Test automation",
  description: "API and browser test suites run on a schedule, on demand or from CI.",
  features: {
    "tests.browser": { description: "Browser tests (Chromium) in suites" },
  },
  limits: {
    concurrentTestRuns: {
      description: "Test runs executing at once (more wait in the queue)",
      count: (tx, organizationId) =>
        tx.run.count({ where: { organizationId, kind: TEST_RUN_KIND, status: "RUNNING" } }),
    },
  },
  meters: {
    "test.runs": { description: "Test runs", unit: "run" },
    "browser.minutes": { description: "Browser test minutes", unit: "minute" },
  },
  apiScopes: {
    "tests:read": "Read test runs, their results and JUnit reports",
    "tests:write": "Start test runs",
  },
  jobs: Object.values(testJobs),
  cron: [{ job: testJobs.scheduleTick, match: "* * * * *", maxAttempts: 3 }],
  runKinds: [TEST_RUN_KIND],
  webhookEvents: {
    "test_run.failed": {
      description: "A test run failed (tests failed or errored, or the run timed out)",
    },
  },
  nav: [{ segment: "tests", label: "Tests", icon: "flask-conical", order: 12 }],
  tenantModels: [
    "TestEnvironment",
    "TestSuite",
    "TestCase",
    "TestWatcher",
    "TestRun",
    "TestResult",
  ],
  operatorCounts: [
    {
      key: "testRuns",
      label: "Test runs",
      count: async (db, organizationIds) => {
        const groups = await db.testRun.groupBy({
          by: ["organizationId"],
          where: { organizationId: { in: [...organizationIds] } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.organizationId, group._count._all]));
      },
    },
  ],
  demo: seedDemo,
  gdpr: {
    exportUser: async (tx, userId) => {
      const user = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { email: true },
      });
      return {
        testRunsStarted: await tx.testRun.findMany({
          where: { createdById: userId },
          orderBy: { createdAt: "asc" },
          select: { id: true, organizationId: true, status: true, trigger: true, createdAt: true },
        }),
        testWatchers: await tx.testWatcher.findMany({
          where: { email: { equals: user.email, mode: "insensitive" } },
          select: { organizationId: true, projectId: true, email: true, createdAt: true },
        }),
      };
    },
    // Runs stay with the organization without their starter; the user's address stops
    // receiving failure emails (watchers are matched by address, not by user id).
    deleteUser: async (tx, userId) => {
      const user = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { email: true },
      });
      await tx.testWatcher.deleteMany({
        where: { email: { equals: user.email, mode: "insensitive" } },
      });
      await tx.testRun.updateMany({ where: { createdById: userId }, data: { createdById: null } });
    },
    userReferences: [{ table: "test_runs", column: "created_by_id", onUserDeleted: "cleared" }],
    exportOrganization: async (tx, organizationId) => ({
      testSuites: await tx.testSuite.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          name: true,
          projectId: true,
          schedule: true,
          tests: { select: { id: true, name: true, kind: true, definition: true } },
        },
      }),
      testWatchers: await tx.testWatcher.findMany({
        where: { organizationId },
        select: { projectId: true, email: true },
      }),
    }),
    deleteOrganization: async (tx, organizationId) => {
      await tx.testResult.deleteMany({ where: { organizationId } });
      await tx.testRun.deleteMany({ where: { organizationId } });
      await tx.testCase.deleteMany({ where: { organizationId } });
      await tx.testSuite.deleteMany({ where: { organizationId } });
      await tx.testEnvironment.deleteMany({ where: { organizationId } });
      await tx.testWatcher.deleteMany({ where: { organizationId } });
    },
  },
});

export default testAutomationModule;
