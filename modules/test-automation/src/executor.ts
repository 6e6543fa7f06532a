// The "test-run" run kind: executes a TestRun on the core run engine (status, progress, logs,
// cancellation, heartbeat and resume are the engine's). It loads the suite's definitions and
// the environment (secrets from the vault), runs them with @plinth/test-engine, writes one
// TestResult per test as it finishes (masked by the engine; screenshots to the artifact
// store), counts browser minutes and, on failure, notifies the watchers.
import { recordUsage } from "@plinth/billing/usage";
import type { PrismaClient, TestResultStatus } from "@plinth/db";
import { defineRunKind, RunCanceledError, type RunContext } from "@plinth/jobs";
import {
  runSuite,
  type BrowserTestRunner,
  type HttpRunner,
  type RunEvent,
  type RunResult,
  type TestDefinition,
  type TestResult,
} from "@plinth/test-engine";
import type { Prisma } from "@plinth/db";
import { readSecret } from "@plinth/vault";
import { z } from "zod";
import type { TestArtifactStore } from "./artifacts.ts";
import { parseTestText, vaultSecretName } from "./definitions.ts";
import { notifyRunFailed } from "./notify.ts";

export interface ExecutorDeps {
  http: () => HttpRunner;
  browser: () => Promise<BrowserTestRunner>;
  artifacts: () => TestArtifactStore;
  /** How often the run looks for a cancel request while tests run. */
  cancelPollMs?: number;
  /** Log lines of one run at most (engine log events beyond are dropped). */
  maxLogLines?: number;
}

const STATUS: Record<TestResult["status"], TestResultStatus> = {
  passed: "PASS",
  failed: "FAIL",
  error: "ERROR",
  skipped: "SKIPPED",
  flaky: "FLAKY",
};

/** Why a test did not pass, in one line (the last attempt's error or first failed assertion). */
export function failureReason(result: TestResult): string | null {
  if (result.status === "passed") return null;
  if (result.status === "skipped") return result.skippedReason ?? "skipped";
  const attempt = result.attempts.at(-1);
  if (!attempt) return null;
  if (attempt.error) return attempt.error;
  for (const step of attempt.steps) {
    if (step.error) return `${step.name}: ${step.error}`;
    const assertion = step.assertions.find((a) => !a.passed);
    if (assertion) {
      return `${step.name}: ${assertion.description}: expected ${assertion.expected}, got ${assertion.actual}`;
    }
  }
  return result.status === "flaky" ? "failed before passing on a retry" : null;
}

async function loadRun(prisma: PrismaClient, ctx: RunContext<unknown>) {
  const testRun = await prisma.testRun.findFirst({
    where: { runId: ctx.runId, organizationId: ctx.organizationId },
    select: {
      id: true,
      projectId: true,
      suiteId: true,
      testCaseId: true,
      environmentId: true,
      trigger: true,
      suiteName: true,
      environmentName: true,
      organization: { select: { slug: true } },
      suite: {
        select: {
          retries: true,
          concurrency: true,
          runTimeoutMs: true,
          tests: {
            orderBy: [{ position: "asc" }, { createdAt: "asc" }],
            select: { id: true, definition: true },
          },
        },
      },
      environment: {
        select: { id: true, baseUrl: true, variables: true, secretNames: true, name: true },
      },
    },
  });
  if (!testRun) throw new Error("test run not found");
  if (!testRun.suite) throw new Error("the suite was deleted");
  if (!testRun.environment) throw new Error("the environment was deleted");
  return { ...testRun, suite: testRun.suite, environment: testRun.environment };
}

const variablesSchema = z.record(z.string(), z.string());

export function createTestRunKind(deps: ExecutorDeps) {
  return defineRunKind({
    input: z.object({}).loose(),
    concurrencyLimit: "concurrentTestRuns",
    async execute(ctx) {
      const { prisma, organizationId } = ctx;
      const run = await loadRun(prisma, ctx);
      const tests: TestDefinition[] = run.suite.tests
        .filter((test) => !run.testCaseId || test.id === run.testCaseId)
        .map((test) => parseTestText(JSON.stringify(test.definition), "json", test.id));
      const secrets: Record<string, string> = {};
      for (const name of run.environment.secretNames) {
        const value = await readSecret(prisma, {
          organizationId,
          name: vaultSecretName(run.environment.id, name),
        });
        if (value) secrets[name] = value.reveal();
      }
      const variables = variablesSchema.safeParse(run.environment.variables);

      // A resumed run (its worker died) starts over: results of the lost attempt go.
      await Promise.all([
        prisma.testResult.deleteMany({ where: { testRunId: run.id } }),
        prisma.testRun.update({
          where: { id: run.id },
          data: { status: "RUNNING", startedAt: new Date(), total: tests.length },
        }),
      ]);

      const controller = new AbortController();
      let canceled = false;
      const onShutdown = () => controller.abort(ctx.signal.reason);
      ctx.signal.addEventListener("abort", onShutdown, { once: true });
      let finished = 0;
      const poll = setInterval(() => {
        ctx.checkpoint((finished * 100) / Math.max(1, tests.length)).catch((error: unknown) => {
          if (error instanceof RunCanceledError) {
            canceled = true;
            controller.abort(error);
          }
        });
      }, deps.cancelPollMs ?? 500);

      let writes: Promise<void> = Promise.resolve();
      const maxLogLines = deps.maxLogLines ?? 2_000;
      let logLines = 0;
      // Log lines are written in batches (one insert per flush, not per line): a run of
      // thousands of steps must not wait on thousands of inserts.
      let pending: { runId: string; organizationId: string; message: string; level: string }[] = [];
      const flush = () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        writes = writes
          .then(() => prisma.runLog.createMany({ data: batch }))
          .then(() => undefined)
          .catch(() => undefined);
      };
      const flusher = setInterval(flush, 250);
      const log = (line: string, level: "info" | "warn" | "error" = "info") => {
        if (logLines++ >= maxLogLines) return;
        pending.push({ runId: ctx.runId, organizationId, message: line, level });
        if (pending.length >= 200) flush();
      };
      log(
        `Running ${tests.length} test${tests.length === 1 ? "" : "s"} of ${run.suiteName} on ${run.environmentName}`,
      );
      const store = deps.artifacts();
      const hasBrowser = tests.some((test) => test.kind === "browser");
      let browserMs = 0;

      const onEvent = (event: RunEvent) => {
        if (event.type === "test-started") {
          log(`▶ ${event.name}${event.attempt > 1 ? ` (retry ${event.attempt - 1})` : ""}`);
        } else if (event.type === "log") {
          log(`  ${event.line}`);
        } else if (event.type === "test-finished") {
          const result = event.result;
          finished += 1;
          if (result.kind === "browser") browserMs += result.durationMs;
          const reason = failureReason(result);
          log(
            `${result.status === "passed" || result.status === "flaky" ? "✓" : result.status === "skipped" ? "○" : "✗"} ${result.name}: ${result.status} in ${Math.round(result.durationMs)} ms${reason && result.status !== "flaky" ? ` — ${reason}` : ""}`,
            result.status === "failed" || result.status === "error" ? "warn" : "info",
          );
          writes = writes.then(() =>
            storeResult(prisma, store, organizationId, run.id, result, reason),
          );
        }
      };

      let result: RunResult;
      try {
        result = await runSuite(
          { name: run.suiteName, tests },
          {
            environment: {
              name: run.environment.name,
              ...(run.environment.baseUrl ? { baseUrl: run.environment.baseUrl } : {}),
              variables: variables.success ? variables.data : {},
              secrets,
            },
            concurrency: run.suite.concurrency,
            retries: run.suite.retries,
            runTimeoutMs: run.suite.runTimeoutMs,
            signal: controller.signal,
            onEvent,
            http: deps.http(),
            ...(hasBrowser ? { browser: await deps.browser() } : {}),
          },
        );
      } finally {
        clearInterval(poll);
        clearInterval(flusher);
        flush();
        ctx.signal.removeEventListener("abort", onShutdown);
        await writes;
      }
      // Forced shutdown: the engine leaves the run RUNNING and the job retries (resume).
      if (ctx.signal.aborted) throw ctx.signal.reason;

      const summary = result.summary;
      const timedOut = result.status === "cancelled" && !canceled;
      const status = canceled ? "CANCELED" : result.status === "passed" ? "PASSED" : "FAILED";
      await prisma.testRun.update({
        where: { id: run.id },
        data: {
          status,
          passed: summary.passed,
          failed: summary.failed,
          errored: summary.error,
          skipped: summary.skipped,
          flaky: summary.flaky,
          durationMs: Math.round(result.durationMs),
          finishedAt: new Date(),
        },
      });
      if (browserMs > 0) {
        await recordUsage(prisma, {
          organizationId,
          meter: "browser.minutes",
          quantity: Math.max(1, Math.ceil(browserMs / 60_000)),
        });
      }
      if (canceled) throw new RunCanceledError();
      const line = `${summary.passed} passed, ${summary.failed} failed, ${summary.error} errored, ${summary.skipped} skipped, ${summary.flaky} flaky`;
      if (status === "FAILED") {
        await notifyRunFailed(prisma, {
          organizationId,
          projectId: run.projectId,
          testRunId: run.id,
          suiteName: run.suiteName,
          environmentName: run.environmentName,
          trigger: run.trigger,
          failed: summary.failed,
          errored: summary.error,
          total: summary.total,
          url: `${ctx.appUrl.replace(/\/+$/, "")}/o/${run.organization.slug}/tests/runs/${run.id}`,
        });
        throw new Error(timedOut ? `Run timed out (${line})` : `Tests failed: ${line}`);
      }
      return { testRunId: run.id, status, ...summary };
    },
  });
}

async function storeResult(
  prisma: PrismaClient,
  store: TestArtifactStore,
  organizationId: string,
  testRunId: string,
  result: TestResult,
  reason: string | null,
) {
  const refs: { key: string; label: string; attempt: number; contentType: string }[] = [];
  for (const attempt of result.attempts) {
    for (const [index, artifact] of attempt.artifacts.entries()) {
      const key = `${organizationId}/${testRunId}/${result.testId}/${attempt.attempt}-${index}-${artifact.label.replace(/[^A-Za-z0-9_-]/g, "_")}.png`;
      try {
        await store.put(key, artifact.bytes, artifact.contentType);
        refs.push({
          key,
          label: artifact.label,
          attempt: attempt.attempt,
          contentType: artifact.contentType,
        });
      } catch {
        // An artifact that cannot be stored must not lose the result.
      }
    }
  }
  const detail = {
    testId: result.testId,
    startedAt: result.startedAt,
    ...(result.skippedReason ? { skippedReason: result.skippedReason } : {}),
    attempts: result.attempts.map(({ artifacts, ...attempt }) => ({
      ...attempt,
      artifacts: artifacts.map((a) => ({ kind: a.kind, label: a.label, stepIndex: a.stepIndex })),
    })),
  };
  await prisma.testResult.create({
    data: {
      organizationId,
      testRunId,
      testCaseId: result.testId,
      name: result.name,
      kind: result.kind === "http" ? "HTTP" : "BROWSER",
      status: STATUS[result.status],
      durationMs: Math.round(result.durationMs),
      attempts: result.attempts.length,
      error: reason?.slice(0, 2000) ?? null,
      detail: detail as unknown as Prisma.InputJsonValue,
      artifacts: refs,
    },
  });
}
