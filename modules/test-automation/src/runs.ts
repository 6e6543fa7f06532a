// Test runs: starting one (a core run of kind "test-run" plus its TestRun row, in one
// transaction with the run engine's job), cancelling, reading runs and results, the JUnit XML
// report and the project dashboard. `queueTestRun` is the part the schedule shares (system).
import { recordAudit } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import { consumeQuota, planRefusal, requireFeature } from "@plinth/billing/gating";
import { type Prisma, type TestRunTrigger, type TransactionClient } from "@plinth/db";
import { createRun, getRun, requestCancel } from "@plinth/jobs";
import type { OrgScope } from "@plinth/platform";
import { renderJUnitXml, type RunResult, type TestResult } from "@plinth/test-engine";
import { z } from "zod";
import { TEST_RUN_KIND } from "./index.ts";

export interface QueueTestRunInput {
  organizationId: string;
  suiteId: string;
  environmentId: string;
  testId?: string | undefined;
  trigger: TestRunTrigger;
  reference?: string | undefined;
  createdById?: string | null;
}

/** What a run needs before it is queued: the suite, the environment, the tests' kinds. */
export async function loadRunTarget(tx: TransactionClient, input: QueueTestRunInput) {
  const suite = await tx.testSuite.findFirst({
    where: { id: input.suiteId, organizationId: input.organizationId },
    select: {
      id: true,
      name: true,
      projectId: true,
      tests: {
        where: input.testId ? { id: input.testId } : {},
        select: { id: true, kind: true },
      },
    },
  });
  if (!suite) throw notFound("Test suite");
  const environment = await tx.testEnvironment.findFirst({
    where: { id: input.environmentId, projectId: suite.projectId },
    select: { id: true, name: true },
  });
  if (!environment) throw notFound("Test environment");
  if (input.testId && suite.tests.length === 0) throw notFound("Test");
  if (suite.tests.length === 0) {
    throw new AppError({ code: "INVALID_STATE", detail: "The suite has no tests to run" });
  }
  return { suite, environment, hasBrowser: suite.tests.some((test) => test.kind === "BROWSER") };
}

/** Inserts the core run (and its job) and the TestRun in the caller's transaction. */
export async function queueTestRun(
  tx: TransactionClient,
  input: QueueTestRunInput,
  target: Awaited<ReturnType<typeof loadRunTarget>>,
) {
  const run = await createRun(tx, {
    organizationId: input.organizationId,
    kind: TEST_RUN_KIND,
    input: {},
    createdById: input.createdById ?? null,
  });
  return tx.testRun.create({
    data: {
      organizationId: input.organizationId,
      projectId: target.suite.projectId,
      suiteId: target.suite.id,
      testCaseId: input.testId ?? null,
      environmentId: target.environment.id,
      runId: run.id,
      trigger: input.trigger,
      suiteName: target.suite.name,
      environmentName: target.environment.name,
      total: target.suite.tests.length,
      reference: input.reference ?? null,
      createdById: input.createdById ?? null,
    },
    select: { id: true, runId: true, status: true, createdAt: true },
  });
}

/**
 * Starts a run of a suite (or one of its tests) on an environment. Counts one `test.runs`
 * against the quota; browser tests need the `tests.browser` feature and browser minutes left.
 */
export async function startTestRun(
  scope: OrgScope,
  input: {
    suiteId: string;
    environmentId: string;
    testId?: string | undefined;
    reference?: string | undefined;
    trigger: TestRunTrigger;
  },
) {
  const organizationId = scope.organization.id;
  const request: QueueTestRunInput = {
    organizationId,
    suiteId: input.suiteId,
    environmentId: input.environmentId,
    testId: input.testId,
    trigger: input.trigger,
    reference: input.reference,
    createdById: actorUserId(scope.actor),
  };
  const target = await scope.db.transaction((tx) => loadRunTarget(tx, request));
  if (target.hasBrowser) {
    requireFeature(scope, "tests.browser");
    await requireBrowserMinutes(scope);
  }
  await consumeQuota(scope, "test.runs", 1);
  return scope.db.transaction(async (tx) => {
    const testRun = await queueTestRun(tx, request, target);
    await recordAudit(tx, scope, {
      organizationId,
      action: "test_run.started",
      targetType: "test_run",
      targetId: testRun.id,
      changes: { suite: { to: target.suite.name }, trigger: { to: input.trigger } },
    });
    return testRun;
  });
}

/** Browser minutes are counted after a run; a capped plan with none left may not start one. */
async function requireBrowserMinutes(scope: OrgScope) {
  const quota = scope.entitlements.quotas["browser.minutes"];
  if (!quota || quota.included === null || quota.overageMicroCents !== undefined) return;
  const counter = await scope.db.client.usageCounter.findUnique({
    where: {
      organizationId_meter_periodStart: {
        organizationId: scope.organization.id,
        meter: "browser.minutes",
        periodStart: scope.entitlements.periodStart,
      },
    },
    select: { quantity: true },
  });
  const used = Number(counter?.quantity ?? 0);
  if (used >= quota.included) {
    // The one refusal builder: the label and the cheapest plan with more minutes come with it.
    throw planRefusal(scope, {
      kind: "quota",
      meter: "browser.minutes",
      used,
      included: quota.included,
    });
  }
}

const runSelect = {
  id: true,
  projectId: true,
  suiteId: true,
  testCaseId: true,
  environmentId: true,
  runId: true,
  trigger: true,
  status: true,
  suiteName: true,
  environmentName: true,
  total: true,
  passed: true,
  failed: true,
  errored: true,
  skipped: true,
  flaky: true,
  durationMs: true,
  reference: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const satisfies Prisma.TestRunSelect;

const resultSelect = {
  id: true,
  testCaseId: true,
  name: true,
  kind: true,
  status: true,
  durationMs: true,
  attempts: true,
  error: true,
  createdAt: true,
} as const satisfies Prisma.TestResultSelect;

async function findRun(scope: OrgScope, testRunId: string) {
  const run = await scope.db.client.testRun.findFirst({
    where: { id: testRunId, organizationId: scope.organization.id },
    select: runSelect,
  });
  if (!run) throw notFound("Test run");
  return run;
}

/** A run with its progress, latest log lines and per-test results (no details). */
export async function getTestRun(scope: OrgScope, input: { testRunId: string }) {
  const run = await findRun(scope, input.testRunId);
  const [engine, results] = await Promise.all([
    scope.db.transaction((tx) => getRun(tx, run.runId, { logLimit: 200 })),
    scope.db.client.testResult.findMany({
      where: { testRunId: run.id },
      orderBy: { createdAt: "asc" },
      select: resultSelect,
    }),
  ]);
  // The run is over once the engine has closed it too (its last log line is written then):
  // until that commit, a finished TestRun still reads as RUNNING.
  const engineOpen = engine?.status === "QUEUED" || engine?.status === "RUNNING";
  const status = engineOpen && !["QUEUED", "RUNNING"].includes(run.status) ? "RUNNING" : run.status;
  return {
    ...run,
    status,
    progress: engine?.progress ?? 0,
    error: engine?.error ?? null,
    cancelRequested: engine?.cancelRequestedAt !== null && engine?.cancelRequestedAt !== undefined,
    logs: (engine?.logs ?? []).map((line) => ({
      id: line.id,
      level: line.level,
      message: line.message,
      createdAt: line.createdAt,
    })),
    results,
  };
}

export async function listTestRuns(
  scope: OrgScope,
  input: { projectId: string; suiteId?: string | undefined; limit: number },
) {
  return scope.db.client.testRun.findMany({
    where: { projectId: input.projectId, ...(input.suiteId ? { suiteId: input.suiteId } : {}) },
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: runSelect,
  });
}

/** Stored per result (detail column): the engine's attempts, masked, artifacts as refs. */
export const storedDetailSchema = z.object({
  testId: z.string(),
  startedAt: z.string(),
  skippedReason: z.string().optional(),
  attempts: z.array(z.record(z.string(), z.unknown())),
});

const artifactRefsSchema = z.array(
  z.object({ key: z.string(), label: z.string(), attempt: z.number(), contentType: z.string() }),
);

/** One result with every attempt: steps, assertions (expected/actual), HTTP exchanges. */
export async function getTestResult(scope: OrgScope, input: { testResultId: string }) {
  const result = await scope.db.client.testResult.findFirst({
    where: { id: input.testResultId, organizationId: scope.organization.id },
    select: { ...resultSelect, testRunId: true, detail: true, artifacts: true },
  });
  if (!result) throw notFound("Test result");
  const detail = storedDetailSchema.safeParse(result.detail);
  const artifacts = artifactRefsSchema.safeParse(result.artifacts);
  return {
    ...result,
    detail: detail.success ? detail.data : null,
    artifacts: artifacts.success ? artifacts.data : [],
  };
}

export function cancelTestRun(scope: OrgScope, input: { testRunId: string }) {
  return scope.db.transaction(async (tx) => {
    const run = await tx.testRun.findFirst({
      where: { id: input.testRunId, organizationId: scope.organization.id },
      select: { id: true, runId: true },
    });
    if (!run) throw notFound("Test run");
    const engine = await requestCancel(tx, run.runId);
    if (engine?.status === "CANCELED") {
      await tx.testRun.updateMany({
        where: { id: run.id, status: { in: ["QUEUED", "RUNNING"] } },
        data: { status: "CANCELED", finishedAt: engine.finishedAt ?? new Date() },
      });
    }
    await recordAudit(tx, scope, {
      organizationId: scope.organization.id,
      action: "test_run.cancel_requested",
      targetType: "test_run",
      targetId: run.id,
    });
    const current = await tx.testRun.findUniqueOrThrow({
      where: { id: run.id },
      select: { id: true, status: true },
    });
    return { id: current.id, status: current.status, cancelRequested: true };
  });
}

const STATUS: Record<string, TestResult["status"]> = {
  PASS: "passed",
  FAIL: "failed",
  ERROR: "error",
  SKIPPED: "skipped",
  FLAKY: "flaky",
};

/** The run's JUnit XML report (what CI systems read), from the stored results. */
export async function junitReport(scope: OrgScope, input: { testRunId: string }) {
  const run = await findRun(scope, input.testRunId);
  const rows = await scope.db.client.testResult.findMany({
    where: { testRunId: run.id },
    orderBy: { createdAt: "asc" },
    select: { name: true, kind: true, status: true, durationMs: true, detail: true },
  });
  const tests: TestResult[] = rows.map((row) => {
    const detail = storedDetailSchema.safeParse(row.detail);
    return {
      testId: detail.success ? detail.data.testId : row.name,
      name: row.name,
      kind: row.kind === "HTTP" ? "http" : "browser",
      status: STATUS[row.status] ?? "error",
      durationMs: row.durationMs,
      startedAt: detail.success ? detail.data.startedAt : run.createdAt.toISOString(),
      attempts: detail.success
        ? (detail.data.attempts as unknown as TestResult["attempts"]).map((attempt) => ({
            ...attempt,
            artifacts: [],
            logs: Array.isArray(attempt.logs) ? attempt.logs : [],
            steps: Array.isArray(attempt.steps) ? attempt.steps : [],
          }))
        : [],
      ...(detail.success && detail.data.skippedReason
        ? { skippedReason: detail.data.skippedReason }
        : {}),
    };
  });
  const result: RunResult = {
    suiteName: run.suiteName,
    environmentName: run.environmentName,
    status: run.status === "PASSED" ? "passed" : run.status === "CANCELED" ? "cancelled" : "failed",
    startedAt: (run.startedAt ?? run.createdAt).toISOString(),
    durationMs: run.durationMs ?? 0,
    summary: {
      total: run.total,
      passed: run.passed,
      failed: run.failed,
      error: run.errored,
      skipped: run.skipped,
      flaky: run.flaky,
    },
    tests,
  };
  return renderJUnitXml(result);
}

/** Pass rate and mean duration per UTC day, and the flakiest tests, over `days`. */
export async function projectDashboard(
  scope: OrgScope,
  input: { projectId: string; days: number },
) {
  const since = new Date(scope.clock.now().getTime() - input.days * 86_400_000);
  const [runs, flaky] = await Promise.all([
    scope.db.client.testRun.findMany({
      where: {
        projectId: input.projectId,
        createdAt: { gte: since },
        status: { in: ["PASSED", "FAILED"] },
      },
      select: {
        createdAt: true,
        status: true,
        durationMs: true,
        total: true,
        passed: true,
        flaky: true,
      },
      orderBy: { createdAt: "asc" },
    }),
    scope.db.client.testResult.groupBy({
      by: ["testCaseId", "name"],
      where: {
        testRun: { projectId: input.projectId },
        createdAt: { gte: since },
        status: "FLAKY",
      },
      _count: { _all: true },
      orderBy: { _count: { testCaseId: "desc" } },
      take: 10,
    }),
  ]);
  const days = new Map<
    string,
    { runs: number; passedRuns: number; durationMs: number; tests: number; passedTests: number }
  >();
  for (const run of runs) {
    const day = run.createdAt.toISOString().slice(0, 10);
    const entry = days.get(day) ?? {
      runs: 0,
      passedRuns: 0,
      durationMs: 0,
      tests: 0,
      passedTests: 0,
    };
    entry.runs += 1;
    entry.passedRuns += run.status === "PASSED" ? 1 : 0;
    entry.durationMs += run.durationMs ?? 0;
    entry.tests += run.total;
    entry.passedTests += run.passed + run.flaky;
    days.set(day, entry);
  }
  return {
    daily: [...days.entries()].map(([day, entry]) => ({
      day,
      runs: entry.runs,
      passRate: entry.tests ? Math.round((entry.passedTests / entry.tests) * 1000) / 10 : 0,
      avgDurationMs: Math.round(entry.durationMs / entry.runs),
    })),
    flakiest: flaky.map((row) => ({
      testId: row.testCaseId,
      name: row.name,
      flakyRuns: row._count._all,
    })),
    totals: {
      runs: runs.length,
      passed: runs.filter((run) => run.status === "PASSED").length,
    },
  };
}
