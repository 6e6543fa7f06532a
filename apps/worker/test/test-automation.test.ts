// Test automation end to end on the real worker: a member starts runs through tRPC, the
// worker executes them with @plinth/test-engine against a local target (pass, fail, slow,
// flaky endpoints), and the results, logs, JUnit report and watcher email are checked —
// secrets never appear in any of them. Also: the per-plan concurrency limit queues runs,
// cancellation stops a run mid-test, and a worker SIGKILLed mid-run leaves no run RUNNING.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemAudit } from "@plinth/core/audit";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createOrganizationWithOwner } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { artifactStore } from "@plinth/test-automation/artifacts";
import { startTarget, type Target } from "@plinth/test-automation/testing/target";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { generateKeyEntry } from "@plinth/vault";
import { startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);
process.env.TEST_ARTIFACTS_DIR ??= `${process.env.TMPDIR ?? "/tmp"}/plinth-test-artifacts-${process.pid}`;

const SECRET = "tok-SECRET-9f8e7d6c5b4a";
let db: TestDatabase;
let worker: TestWorker | undefined;
let target: Target;
let child: ChildProcess | undefined;
const product = activeProduct();
const createCaller = createCallerFactory(appRouter());

async function member(name: string, plan: string) {
  const user = await db.system.user.create({ data: { email: `${name}@x.test`, name } });
  const organizationId = (
    await createOrganizationWithOwner(db.app, product.catalog, systemAudit("test", "t"), {
      name: `${name} Co`,
      ownerId: user.id,
      now: new Date(),
    })
  ).id;
  await db.system.subscription.update({
    where: { organizationId },
    data: { planKey: plan, status: "ACTIVE" },
  });
  const api = createCaller(
    createContext({
      database: db,
      product,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        platformRole: user.platformRole,
        status: user.status,
      },
    }),
  );
  const project = await api.project.create({ organizationId, name: "Shop" });
  const environment = await api.testEnvironment.create({
    organizationId,
    projectId: project.id,
    name: "Local",
    baseUrl: target.url,
    variables: [{ name: "user", value: "alice" }],
    secrets: [{ name: "API_TOKEN", value: SECRET }],
  });
  return { api, organizationId, projectId: project.id, environmentId: environment.id };
}

type Member = Awaited<ReturnType<typeof member>>;

async function suiteWith(
  m: Member,
  name: string,
  tests: unknown[],
  settings: { retries?: number; concurrency?: number } = {},
) {
  const suite = await m.api.testSuite.create({
    organizationId: m.organizationId,
    projectId: m.projectId,
    name,
    ...settings,
  });
  for (const test of tests) {
    await m.api.testCase.create({
      organizationId: m.organizationId,
      suiteId: suite.id,
      format: "json",
      text: JSON.stringify(test),
    });
  }
  return suite.id;
}

const finished = (m: Member, testRunId: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const run = await m.api.testRun.get({ organizationId: m.organizationId, testRunId });
      return ["PASSED", "FAILED", "CANCELED"].includes(run.status) ? run : null;
    },
    { timeoutMs, what: `test run ${testRunId} to finish` },
  );

beforeAll(async () => {
  db = await createTestDatabase();
  target = await startTarget({ token: SECRET });
  worker = await startTestWorker(db, {
    concurrency: 6,
    runEngine: { heartbeatMs: 100, slotRetryMs: 50 },
  });
});
afterAll(async () => {
  child?.kill("SIGKILL");
  await worker?.stop();
  await target.close();
  await db.drop();
});

describe("a suite run on the worker", () => {
  it("asserts every kind, extracts variables, marks flaky, times out a step, masks secrets, reports JUnit and emails watchers", async () => {
    const m = await member("e2e", "pro");
    await m.api.testWatcher.add({
      organizationId: m.organizationId,
      projectId: m.projectId,
      email: "watcher@x.test",
    });
    // An outbound webhook endpoint subscribed to failed runs (stored directly: its secret and
    // delivery are @plinth/webhooks' own tests; here only the event the module emits counts).
    await db.system.webhookEndpoint.create({
      data: {
        organizationId: m.organizationId,
        url: "https://hooks.example.com/ci",
        eventTypes: ["test_run.failed"],
      },
    });
    const suiteId = await suiteWith(
      m,
      "Shop API",
      [
        {
          kind: "http",
          name: "Every assertion",
          steps: [
            {
              method: "GET",
              url: "/pass",
              assertions: [
                { type: "status", equals: 200 },
                {
                  type: "header",
                  name: "x-request-id",
                  expect: { operator: "equals", value: "r-1" },
                },
                { type: "jsonPath", path: "$.id", expect: { operator: "equals", value: 42 } },
                { type: "jsonPath", path: "$.items", expect: { operator: "contains", value: "a" } },
                {
                  type: "jsonPath",
                  path: "$.name",
                  expect: { operator: "matches", pattern: "^Wid" },
                },
                { type: "jsonPath", path: "$.missing", expect: { operator: "absent" } },
                { type: "body", expect: { operator: "contains", value: "Widget" } },
                { type: "responseTime", lessThanMs: 10_000 },
              ],
            },
          ],
        },
        {
          kind: "http",
          name: "Extraction",
          steps: [
            {
              method: "POST",
              url: "/login",
              extract: [{ name: "session", from: "jsonPath", path: "$.token" }],
            },
            {
              method: "POST",
              url: "/echo",
              headers: { "x-session": "{{session}}", "x-user": "{{user}}" },
              assertions: [
                {
                  type: "jsonPath",
                  path: "$.headers['x-session']",
                  expect: { operator: "equals", value: "session-abc" },
                },
                {
                  type: "jsonPath",
                  path: "$.headers['x-user']",
                  expect: { operator: "equals", value: "alice" },
                },
              ],
            },
          ],
        },
        {
          kind: "http",
          name: "Uses the secret",
          steps: [
            {
              method: "GET",
              url: "/me",
              headers: { authorization: "Bearer {{API_TOKEN}}" },
              assertions: [{ type: "status", equals: 200 }],
            },
            {
              method: "POST",
              url: "/echo",
              json: { token: "{{API_TOKEN}}" },
              assertions: [
                { type: "body", expect: { operator: "contains", value: "{{API_TOKEN}}" } },
              ],
            },
          ],
        },
        {
          kind: "http",
          name: "Fails",
          steps: [{ method: "GET", url: "/fail", assertions: [{ type: "status", equals: 200 }] }],
        },
        {
          kind: "http",
          name: "Flakes once",
          steps: [
            {
              method: "GET",
              url: `/flaky?key=${Date.now()}`,
              assertions: [{ type: "status", equals: 200 }],
            },
          ],
        },
        {
          kind: "http",
          name: "Too slow",
          steps: [{ method: "GET", url: "/slow?ms=3000", timeoutMs: 300 }],
        },
      ],
      { retries: 1 },
    );
    const started = await m.api.testRun.start({
      organizationId: m.organizationId,
      suiteId,
      environmentId: m.environmentId,
    });
    const run = await finished(m, started.id);

    expect(run.status).toBe("FAILED");
    const byName = Object.fromEntries(run.results.map((r) => [r.name, r]));
    expect(byName["Every assertion"]?.status).toBe("PASS");
    expect(byName["Extraction"]?.status).toBe("PASS");
    expect(byName["Uses the secret"]?.status).toBe("PASS");
    expect(byName["Fails"]).toMatchObject({ status: "FAIL", attempts: 2 });
    expect(byName["Flakes once"]).toMatchObject({ status: "FLAKY", attempts: 2 });
    expect(byName["Too slow"]?.status).toBe("ERROR");
    expect(run).toMatchObject({ total: 6, passed: 3, failed: 1, errored: 1, flaky: 1 });
    expect((await db.system.run.findUniqueOrThrow({ where: { id: run.runId } })).status).toBe(
      "FAILED",
    );

    // Every assertion with expected and actual.
    const failing = await m.api.testRun.result({
      organizationId: m.organizationId,
      testResultId: byName["Fails"]?.id ?? "",
    });
    expect(JSON.stringify(failing.detail)).toContain('"expected":"200"');
    expect(JSON.stringify(failing.detail)).toContain('"actual":"500"');
    expect(failing.error).toContain("expected 200");

    // The secret: never in results, exchanges, logs, the JUnit report.
    const rows = await db.system.testResult.findMany({ where: { testRunId: run.id } });
    const logs = await db.system.runLog.findMany({ where: { runId: run.runId } });
    const junit = (
      await m.api.testRun.junit({ organizationId: m.organizationId, testRunId: run.id })
    ).xml;
    const everything = JSON.stringify({ rows, logs, run, junit }, (_key, value: unknown) =>
      typeof value === "bigint" ? String(value) : value,
    );
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(encodeURIComponent(SECRET));
    expect(JSON.stringify(rows)).toContain("[secret]");
    expect(logs.length).toBeGreaterThan(6);

    // JUnit, parsed.
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      junit,
    ) as {
      testsuites: {
        testsuite: {
          tests: string;
          failures: string;
          errors: string;
          testcase: { name: string; failure?: unknown; error?: unknown; flakyFailure?: unknown }[];
        };
      };
    };
    const suite = xml.testsuites.testsuite;
    expect(suite).toMatchObject({ tests: "6", failures: "1", errors: "1" });
    const cases = Object.fromEntries(suite.testcase.map((c) => [c.name, c]));
    expect(cases["Fails"]?.failure).toBeDefined();
    expect(cases["Too slow"]?.error).toBeDefined();
    expect(cases["Flakes once"]?.flakyFailure).toBeDefined();

    // The watcher's email.
    const emails = await db.system.email.findMany({ where: { to: "watcher@x.test" } });
    expect(emails.map((e) => e.subject)).toEqual(["Test run failed: Shop API on Local"]);
    expect(emails[0]?.text).not.toContain(SECRET);
    // …and the organization's webhooks got the event, once, without the secret.
    const events = await db.system.webhookEvent.findMany({
      where: { organizationId: m.organizationId, type: "test_run.failed" },
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ testRunId: run.id, suite: "Shop API", failed: 1 });
    expect(JSON.stringify(events[0]?.data)).not.toContain(SECRET);

    const dashboard = await m.api.testRun.dashboard({
      organizationId: m.organizationId,
      projectId: m.projectId,
    });
    expect(dashboard.totals).toEqual({ runs: 1, passed: 0 });
    expect(dashboard.flakiest.map((f) => f.name)).toEqual(["Flakes once"]);
  });
});

describe("queueing and stopping", () => {
  it("holds an organization to its plan's concurrency limit: further runs wait QUEUED", async () => {
    const m = await member("limit", "trial"); // trial: 1 run at a time
    const suiteId = await suiteWith(m, "Slow", [
      {
        kind: "http",
        name: "Slow",
        steps: [
          {
            method: "GET",
            url: "/slow?ms=400&tag=limit",
            assertions: [{ type: "status", equals: 200 }],
          },
        ],
      },
    ]);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(
        await m.api.testRun.start({
          organizationId: m.organizationId,
          suiteId,
          environmentId: m.environmentId,
        }),
      );
    }
    const done = [];
    for (const run of runs) done.push(await finished(m, run.id));
    expect(done.map((r) => r.status)).toEqual(["PASSED", "PASSED", "PASSED"]);
    expect(target.maxSlowInFlight("limit")).toBe(1);
  });

  it("cancels a run mid-test: the running test is stopped and the run ends CANCELED", async () => {
    const m = await member("cancel", "pro");
    const suiteId = await suiteWith(
      m,
      "Long",
      [
        {
          kind: "http",
          name: "Hangs",
          steps: [{ method: "GET", url: "/hang", timeoutMs: 60_000 }],
        },
        { kind: "http", name: "Never starts", steps: [{ method: "GET", url: "/pass" }] },
      ],
      { concurrency: 1 },
    );
    const hangsBefore = target.hits.get("/hang") ?? 0;
    const started = await m.api.testRun.start({
      organizationId: m.organizationId,
      suiteId,
      environmentId: m.environmentId,
    });
    await waitFor(() => (target.hits.get("/hang") ?? 0) > hangsBefore, {
      timeoutMs: 15_000,
      what: "the hanging request",
    });
    await m.api.testRun.cancel({ organizationId: m.organizationId, testRunId: started.id });
    const run = await finished(m, started.id);
    expect(run.status).toBe("CANCELED");
    expect((await db.system.run.findUniqueOrThrow({ where: { id: run.runId } })).status).toBe(
      "CANCELED",
    );
    const statuses = Object.fromEntries(run.results.map((r) => [r.name, r.status]));
    expect(statuses).toEqual({ Hangs: "ERROR", "Never starts": "SKIPPED" });
  });
});

describe("browser tests", () => {
  it("runs a browser test in Chromium against a local page; a failing one stores a screenshot with a signed link", async () => {
    const m = await member("browser", "pro");
    const suiteId = await suiteWith(m, "UI", [
      {
        kind: "browser",
        name: "Greets",
        steps: [
          { action: "goto", url: "/page" },
          { action: "fill", selector: "#name", value: "Ann" },
          { action: "click", selector: "#go" },
          { action: "expectText", selector: "#out", text: "Hello, Ann" },
        ],
      },
      {
        kind: "browser",
        name: "Wrong greeting",
        steps: [
          { action: "goto", url: "/page" },
          { action: "expectText", selector: "h1", text: "Checkout", timeoutMs: 500 },
        ],
      },
    ]);
    const started = await m.api.testRun.start({
      organizationId: m.organizationId,
      suiteId,
      environmentId: m.environmentId,
    });
    const run = await finished(m, started.id, 60_000);
    const byName = Object.fromEntries(run.results.map((r) => [r.name, r]));
    expect(byName["Greets"]?.status).toBe("PASS");
    expect(byName["Wrong greeting"]?.status).toBe("FAIL");
    const failing = await m.api.testRun.result({
      organizationId: m.organizationId,
      testResultId: byName["Wrong greeting"]?.id ?? "",
    });
    expect(failing.artifacts).toHaveLength(1);
    // The link verifies (HMAC, not expired) and leads to the PNG; a tampered one does not.
    const link = failing.artifacts[0]?.url ?? "";
    const store = artifactStore();
    const key = store.verifyLink?.(link) ?? null;
    expect(key).toMatch(/\.png$/);
    const png = await store.get(key ?? "");
    expect(
      Buffer.from(png?.bytes ?? [])
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    expect(store.verifyLink?.(link.replace(/.png/, ".pnh"))).toBeNull();
    const counter = await db.system.usageCounter.findFirst({
      where: { organizationId: m.organizationId, meter: "browser.minutes" },
    });
    expect(Number(counter?.quantity)).toBeGreaterThanOrEqual(1);
  });
});

describe("a worker killed mid-run", () => {
  it("leaves no run RUNNING: another worker takes the run over and finishes it", async () => {
    await worker?.stop();
    worker = undefined;
    const m = await member("crash", "pro");
    const suiteId = await suiteWith(m, "Crash", [
      {
        kind: "http",
        name: "Slow",
        steps: [
          { method: "GET", url: "/slow?ms=1500", assertions: [{ type: "status", equals: 200 }] },
        ],
      },
    ]);
    const fixture = fileURLToPath(new URL("./fixtures/child-test-worker.ts", import.meta.url));
    child = spawn(process.execPath, ["--import", "tsx", fixture, db.url], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env },
    });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    await waitFor(() => stdout.includes("READY"), { timeoutMs: 20_000, what: "the child worker" });
    const slowBefore = target.hits.get("/slow") ?? 0;
    const started = await m.api.testRun.start({
      organizationId: m.organizationId,
      suiteId,
      environmentId: m.environmentId,
    });
    await waitFor(() => (target.hits.get("/slow") ?? 0) > slowBefore, {
      timeoutMs: 15_000,
      what: "the child to run the test",
    });
    child.kill("SIGKILL");
    await exited;
    const orphan = await db.system.testRun.findUniqueOrThrow({ where: { id: started.id } });
    expect(orphan.status).toBe("RUNNING");

    worker = await startTestWorker(db, {
      concurrency: 2,
      staleRunAfterMs: 500,
      runEngine: { heartbeatMs: 100, slotRetryMs: 50 },
    });
    const run = await finished(m, started.id);
    expect(run.status).toBe("PASSED");
    expect(run.results).toHaveLength(1);
    expect(run.logs.map((l) => l.message)).toContain(
      "The worker running this stopped responding: retrying",
    );
  });
});
