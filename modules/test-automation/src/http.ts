// The test-automation module's public API routes (apps/gateway serves them under /api/v1):
// CI starts a run with an API key (202 + the run id), polls it and downloads JUnit XML. The
// same services as the tRPC router, with the key's organization scope.
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import * as runs from "./runs.ts";

const id = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");

const iso = z.date().transform((date) => date.toISOString());
const isoOrNull = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);

const status = z.enum(["QUEUED", "RUNNING", "PASSED", "FAILED", "CANCELED"]);

const testRun = z.object({
  id: z.string(),
  status,
  /** Whether the run is over (CI stops polling). */
  finished: z.boolean(),
  suiteId: z.string().nullable(),
  suiteName: z.string(),
  environmentName: z.string(),
  trigger: z.enum(["MANUAL", "SCHEDULE", "CI"]),
  reference: z.string().nullable(),
  progress: z.number(),
  summary: z.object({
    total: z.number(),
    passed: z.number(),
    failed: z.number(),
    errored: z.number(),
    skipped: z.number(),
    flaky: z.number(),
  }),
  durationMs: z.number().nullable(),
  createdAt: iso,
  startedAt: isoOrNull,
  finishedAt: isoOrNull,
  results: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["HTTP", "BROWSER"]),
      status: z.enum(["PASS", "FAIL", "ERROR", "SKIPPED", "FLAKY"]),
      durationMs: z.number(),
      attempts: z.number(),
      error: z.string().nullable(),
    }),
  ),
});

async function runView(scope: Parameters<typeof runs.getTestRun>[0], testRunId: string) {
  const run = await runs.getTestRun(scope, { testRunId });
  return {
    id: run.id,
    status: run.status,
    finished: !["QUEUED", "RUNNING"].includes(run.status),
    suiteId: run.suiteId,
    suiteName: run.suiteName,
    environmentName: run.environmentName,
    trigger: run.trigger,
    reference: run.reference,
    progress: run.progress,
    summary: {
      total: run.total,
      passed: run.passed,
      failed: run.failed,
      errored: run.errored,
      skipped: run.skipped,
      flaky: run.flaky,
    },
    durationMs: run.durationMs,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    results: run.results.map((result) => ({
      id: result.id,
      name: result.name,
      kind: result.kind,
      status: result.status,
      durationMs: result.durationMs,
      attempts: result.attempts,
      error: result.error,
    })),
  };
}

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "POST",
    path: "/test-runs",
    summary: "Start a test run of a suite (or one test) on an environment; poll it by id",
    apiScope: "tests:write",
    write: true,
    successStatus: 202,
    body: z.object({
      suiteId: id,
      environmentId: id,
      testId: id.optional(),
      /** A commit, branch or build to show on the run page. */
      reference: z.string().check(WELL_FORMED_TEXT).max(200).optional(),
    }),
    response: z.object({ id: z.string(), status, url: z.string() }),
    handle: async (scope, { body }) => {
      const run = await runs.startTestRun(scope, { ...body, trigger: "CI" });
      return { id: run.id, status: run.status, url: `/api/v1/test-runs/${run.id}` };
    },
  }),
  defineHttpRoute({
    method: "GET",
    path: "/test-runs/{id}",
    summary: "A test run: status, progress, summary and per-test results",
    apiScope: "tests:read",
    write: false,
    successStatus: 200,
    params: z.object({ id }),
    response: testRun,
    handle: (scope, { params }) => runView(scope, params.id),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/test-runs/{id}/junit.xml",
    summary: "A test run's JUnit XML report",
    apiScope: "tests:read",
    write: false,
    successStatus: 200,
    contentType: "application/xml",
    params: z.object({ id }),
    response: z.string(),
    handle: (scope, { params }) => runs.junitReport(scope, { testRunId: params.id }),
  }),
];
