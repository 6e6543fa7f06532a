// Demo records (the seed, `npm run dev`): in the organization's first project, a "Local app"
// environment pointing at the web app itself and, per name the preset gives, a suite with two
// HTTP tests of /api/health, plus two weeks of past runs so the dashboard has a history.
import type { DemoSeeder } from "@plinth/platform";

const healthTest = (id: string) => ({
  kind: "http",
  id,
  name: "Health answers ok",
  skip: false,
  steps: [
    {
      method: "GET",
      url: "/api/health",
      headers: {},
      assertions: [
        { type: "status", equals: 200 },
        { type: "responseTime", lessThanMs: 2000 },
      ],
      extract: [],
    },
  ],
});

export const seedDemo: DemoSeeder = async (tx, { organizationId, ownerId, names }) => {
  const project = await tx.project.findFirst({
    where: { organizationId },
    // The Tests page opens on the first project by name: the examples go there.
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  if (!project) return;
  const environment = await tx.testEnvironment.create({
    data: {
      organizationId,
      projectId: project.id,
      name: "Local app",
      baseUrl: "http://localhost:3000",
      variables: { greeting: "hello" },
    },
    select: { id: true, name: true },
  });
  const day = 86_400_000;
  const now = Date.now();
  for (const name of names) {
    const suite = await tx.testSuite.create({
      data: {
        organizationId,
        projectId: project.id,
        name,
        description: "Example suite: the app's health endpoint.",
        scheduleEnvironmentId: environment.id,
        retries: 1,
      },
      select: { id: true },
    });
    const test = await tx.testCase.create({
      data: {
        organizationId,
        suiteId: suite.id,
        name: "Health answers ok",
        kind: "HTTP",
        definition: {},
      },
      select: { id: true },
    });
    await tx.testCase.update({ where: { id: test.id }, data: { definition: healthTest(test.id) } });
    for (let daysAgo = 14; daysAgo >= 1; daysAgo--) {
      const at = new Date(now - daysAgo * day);
      const flaky = daysAgo % 5 === 0;
      const failed = daysAgo % 7 === 0;
      const run = await tx.run.create({
        data: {
          organizationId,
          kind: "test-run",
          status: failed ? "FAILED" : "SUCCEEDED",
          progress: 100,
          createdById: ownerId,
          startedAt: at,
          finishedAt: new Date(at.getTime() + 900),
          createdAt: at,
        },
        select: { id: true },
      });
      const testRun = await tx.testRun.create({
        data: {
          organizationId,
          projectId: project.id,
          suiteId: suite.id,
          environmentId: environment.id,
          runId: run.id,
          trigger: daysAgo % 2 ? "SCHEDULE" : "CI",
          status: failed ? "FAILED" : "PASSED",
          suiteName: name,
          environmentName: environment.name,
          total: 1,
          passed: failed || flaky ? 0 : 1,
          failed: failed ? 1 : 0,
          flaky: flaky && !failed ? 1 : 0,
          durationMs: 600 + ((daysAgo * 37) % 400),
          startedAt: at,
          finishedAt: new Date(at.getTime() + 900),
          createdAt: at,
        },
        select: { id: true },
      });
      await tx.testResult.create({
        data: {
          organizationId,
          testRunId: testRun.id,
          testCaseId: test.id,
          name: "Health answers ok",
          kind: "HTTP",
          status: failed ? "FAIL" : flaky ? "FLAKY" : "PASS",
          durationMs: 40 + ((daysAgo * 13) % 60),
          attempts: flaky ? 2 : 1,
          error: failed ? "GET /api/health: status: expected 200, got 503" : null,
          detail: { testId: test.id, startedAt: at.toISOString(), attempts: [] },
          createdAt: at,
        },
      });
    }
  }
};
