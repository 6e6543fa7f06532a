// The HTTP runner and the orchestrator against a local target on loopback: every assertion
// kind passing and failing, extraction into later steps, timeouts, the body cap, retries and
// flaky tests, cancellation mid-run, progress events, and secrets that never come back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHttpRunner,
  runSuite,
  type HttpRunner,
  type RunEvent,
  type RunResult,
  type SuiteDefinitionInput,
  type TestDefinitionInput,
} from "../src/index.ts";
import { startTargetServer, type TargetServer } from "./target-server.ts";

let target: TargetServer;
let http: HttpRunner;
beforeAll(async () => {
  target = await startTargetServer();
  http = createHttpRunner({ maxResponseBytes: 64 * 1024, exchangeBodyChars: 200 });
});
afterAll(async () => {
  await http.close();
  await target.close();
});

const SECRET = "hunter2-secret-password";

function environment() {
  return {
    name: "local",
    baseUrl: target.url,
    variables: { user: "ada" },
    secrets: { password: SECRET },
  };
}

async function runOne(
  test: TestDefinitionInput,
  options: { retries?: number } = {},
): Promise<RunResult> {
  return runSuite({ name: "one", tests: [test] }, { environment: environment(), http, ...options });
}

function firstTest(run: RunResult) {
  const test = run.tests[0];
  if (!test) throw new Error("no test result");
  return test;
}

describe("assertions", () => {
  it("passes every kind of assertion against a JSON answer and reports expected and actual", async () => {
    const run = await runOne({
      id: "t1",
      name: "ok endpoint",
      kind: "http",
      steps: [
        {
          method: "GET",
          url: "/ok",
          assertions: [
            { type: "status", equals: 200 },
            { type: "status", equals: [200, 204] },
            {
              type: "header",
              name: "Content-Type",
              expect: { operator: "contains", value: "json" },
            },
            {
              type: "header",
              name: "x-request-id",
              expect: { operator: "equals", value: "req-1" },
            },
            { type: "header", name: "x-missing", expect: { operator: "absent" } },
            { type: "jsonPath", path: "$.user.id", expect: { operator: "equals", value: 42 } },
            {
              type: "jsonPath",
              path: "$.user",
              expect: { operator: "equals", value: { id: 42, name: "Ada" } },
            },
            { type: "jsonPath", path: "$.tags", expect: { operator: "contains", value: "b" } },
            {
              type: "jsonPath",
              path: "$.user.name",
              expect: { operator: "contains", value: "Ad" },
            },
            { type: "jsonPath", path: "$.status", expect: { operator: "exists" } },
            { type: "jsonPath", path: "$.nothing", expect: { operator: "absent" } },
            {
              type: "jsonPath",
              path: "$.user.name",
              expect: { operator: "matches", pattern: "^a", flags: "i" },
            },
            { type: "body", expect: { operator: "contains", value: '"status":"ok"' } },
            { type: "body", expect: { operator: "notContains", value: "error" } },
            { type: "responseTime", lessThanMs: 5_000 },
          ],
        },
      ],
    });
    const test = firstTest(run);
    expect(run.status).toBe("passed");
    expect(test.status).toBe("passed");
    const step = test.attempts[0]?.steps[0];
    expect(step?.assertions).toHaveLength(15);
    expect(step?.assertions.every((a) => a.passed)).toBe(true);
    expect(step?.assertions[5]).toEqual({
      description: "jsonPath $.user.id equals",
      passed: true,
      expected: "42",
      actual: "42",
    });
    expect(step?.exchange?.response?.status).toBe(200);
    expect(step?.exchange?.request.url).toBe(`${target.url}/ok`);
  });

  it("fails each kind with the expected and the actual value", async () => {
    const run = await runOne({
      id: "t2",
      name: "wrong expectations",
      kind: "http",
      steps: [
        {
          method: "GET",
          url: "/fail",
          assertions: [
            { type: "status", equals: 200 },
            {
              type: "header",
              name: "content-type",
              expect: { operator: "equals", value: "text/html" },
            },
            { type: "jsonPath", path: "$.error", expect: { operator: "equals", value: "fine" } },
            { type: "jsonPath", path: "$.missing", expect: { operator: "exists" } },
            { type: "jsonPath", path: "$.error", expect: { operator: "matches", pattern: "^ok$" } },
            { type: "body", expect: { operator: "contains", value: "success" } },
            { type: "responseTime", lessThanMs: 1 },
          ],
        },
        { method: "GET", url: "/ok" },
      ],
    });
    const test = firstTest(run);
    expect(run.status).toBe("failed");
    expect(test.status).toBe("failed");
    const [step, skipped] = test.attempts[0]?.steps ?? [];
    expect(step?.status).toBe("failed");
    expect(step?.assertions.map((a) => a.passed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(step?.assertions[0]).toMatchObject({ expected: "200", actual: "500" });
    expect(step?.assertions[1]).toMatchObject({
      expected: "text/html",
      actual: "application/json",
    });
    expect(step?.assertions[2]).toMatchObject({ expected: "fine", actual: "boom" });
    expect(step?.assertions[3]).toMatchObject({ expected: "a match", actual: "(no match)" });
    expect(step?.assertions[4]).toMatchObject({ expected: "/^ok$/", actual: "boom" });
    // A later step does not run after a failing one.
    expect(skipped?.status).toBe("skipped");
  });

  it("fails a JSON path assertion on a body that is not JSON, and refuses filter scripts", async () => {
    const run = await runOne({
      id: "t3",
      name: "text body",
      kind: "http",
      steps: [
        {
          method: "GET",
          url: "/text",
          assertions: [
            { type: "jsonPath", path: "$.a", expect: { operator: "exists" } },
            { type: "body", expect: { operator: "equals", value: "hello plain world" } },
          ],
        },
        {
          method: "GET",
          url: "/ok",
          assertions: [
            { type: "jsonPath", path: "$.tags[?(@ == 'a')]", expect: { operator: "exists" } },
          ],
        },
      ],
    });
    const steps = firstTest(run).attempts[0]?.steps ?? [];
    expect(steps[0]?.assertions[0]).toMatchObject({ passed: false, actual: "body is not JSON" });
    expect(steps[0]?.assertions[1]?.passed).toBe(true);
    // Not reached: step 1 failed. Run the filter alone.
    const filter = await runOne({
      id: "t3b",
      name: "filter",
      kind: "http",
      steps: [
        {
          method: "GET",
          url: "/ok",
          assertions: [
            { type: "jsonPath", path: "$.tags[?(@ == 'a')]", expect: { operator: "exists" } },
          ],
        },
      ],
    });
    const step = firstTest(filter).attempts[0]?.steps[0];
    expect(step?.status).toBe("error");
    expect(step?.error).toMatch(/not supported/);
  });
});

describe("variables and extraction", () => {
  it("extracts from JSON, headers, body and status into later steps (login → me)", async () => {
    const run = await runOne({
      id: "login",
      name: "log in and read the profile",
      kind: "http",
      steps: [
        {
          method: "POST",
          url: "{{baseUrl}}/login",
          json: { user: "{{user}}", password: "{{password}}" },
          assertions: [{ type: "status", equals: 200 }],
          extract: [
            { name: "token", from: "jsonPath", path: "$.token" },
            { name: "tokenId", from: "header", header: "X-Token-Id" },
            { name: "expires", from: "body", pattern: '"expiresIn":(\\d+)' },
            { name: "loginStatus", from: "status" },
          ],
        },
        {
          method: "GET",
          url: "/me?t={{tokenId}}&e={{expires}}&s={{loginStatus}}",
          headers: { authorization: "Bearer {{token}}", cookie: "session=sess-abc" },
          assertions: [
            { type: "status", equals: 200 },
            { type: "jsonPath", path: "$.user", expect: { operator: "equals", value: "{{user}}" } },
          ],
        },
      ],
    });
    const test = firstTest(run);
    expect(test.status).toBe("passed");
    const [login, me] = test.attempts[0]?.steps ?? [];
    expect(login?.extracted).toEqual(["token", "tokenId", "expires", "loginStatus"]);
    expect(me?.exchange?.request.url).toBe(`${target.url}/me?t=tid-7&e=3600&s=200`);
    // Credentials headers are masked in the record whatever they hold.
    expect(me?.exchange?.request.headers).toMatchObject({
      authorization: "[secret]",
      cookie: "[secret]",
    });
    expect(login?.exchange?.response?.headers["set-cookie"]).toBe("[secret]");
  });

  it("ends a step as error with the missing variable's name", async () => {
    const run = await runOne({
      id: "missing",
      name: "missing var",
      kind: "http",
      steps: [{ method: "GET", url: "/ok?x={{nope}}" }],
    });
    const step = firstTest(run).attempts[0]?.steps[0];
    expect(firstTest(run).status).toBe("error");
    expect(step?.error).toBe('no variable named "nope"');
  });

  it("fails the step when an extraction finds nothing", async () => {
    const run = await runOne({
      id: "noextract",
      name: "extraction miss",
      kind: "http",
      steps: [
        {
          method: "GET",
          url: "/ok",
          extract: [{ name: "id", from: "jsonPath", path: "$.missing" }],
        },
      ],
    });
    const step = firstTest(run).attempts[0]?.steps[0];
    expect(step?.status).toBe("failed");
    expect(step?.assertions[0]).toMatchObject({
      description: "extract id from jsonPath $.missing",
      passed: false,
    });
  });
});

describe("limits and timeouts", () => {
  it("errors a step past its timeout and a test past its own", async () => {
    const stepTimeout = await runOne({
      id: "slow",
      name: "slow step",
      kind: "http",
      steps: [{ method: "GET", url: "/slow?ms=2000", timeoutMs: 200 }],
    });
    expect(firstTest(stepTimeout).status).toBe("error");
    expect(firstTest(stepTimeout).attempts[0]?.steps[0]?.error).toBe("step timed out after 200 ms");

    const testTimeout = await runOne({
      id: "slow-test",
      name: "slow test",
      kind: "http",
      timeoutMs: 1_000,
      steps: [
        { method: "GET", url: "/slow?ms=600" },
        { method: "GET", url: "/slow?ms=600" },
        { method: "GET", url: "/ok" },
      ],
    });
    const steps = firstTest(testTimeout).attempts[0]?.steps ?? [];
    expect(steps.map((s) => s.status)).toEqual(["passed", "error", "skipped"]);
    expect(steps[1]?.error).toBe("test timed out after 1000 ms");
  });

  it("caps the response body and truncates the recorded exchange", async () => {
    const run = await runOne({
      id: "big",
      name: "big bodies",
      kind: "http",
      steps: [
        { method: "GET", url: "/big?bytes=1000", assertions: [{ type: "status", equals: 200 }] },
        { method: "GET", url: "/big?bytes=100000" },
      ],
    });
    const [small, big] = firstTest(run).attempts[0]?.steps ?? [];
    expect(small?.status).toBe("passed");
    expect(small?.exchange?.response).toMatchObject({ bodyTruncated: true, bodyBytes: 1000 });
    expect(small?.exchange?.response?.body).toContain("… [800 more characters]");
    expect(big?.status).toBe("error");
    expect(big?.error).toBe("response body larger than 65536 bytes");
  });
});

describe("retries", () => {
  it("marks a test that passes on a retry as flaky and keeps every attempt", async () => {
    const run = await runOne(
      {
        id: "flaky",
        name: "flaky endpoint",
        kind: "http",
        steps: [
          {
            method: "GET",
            url: "/flaky?key=k1&failTimes=2",
            assertions: [{ type: "status", equals: 200 }],
          },
        ],
      },
      { retries: 3 },
    );
    const test = firstTest(run);
    expect(test.status).toBe("flaky");
    expect(test.attempts.map((a) => a.status)).toEqual(["failed", "failed", "passed"]);
    expect(run.status).toBe("passed");
    expect(run.summary).toMatchObject({ total: 1, flaky: 1, failed: 0 });
  });

  it("fails a test that fails every attempt, after retries + 1 attempts", async () => {
    const run = await runOne(
      {
        id: "f",
        name: "always fails",
        kind: "http",
        steps: [{ method: "GET", url: "/fail", assertions: [{ type: "status", equals: 200 }] }],
      },
      { retries: 2 },
    );
    expect(firstTest(run).status).toBe("failed");
    expect(firstTest(run).attempts).toHaveLength(3);
  });
});

describe("orchestration", () => {
  const quick = (id: string, url = "/ok"): TestDefinitionInput => ({
    id,
    name: `test ${id}`,
    kind: "http",
    steps: [{ method: "GET", url, assertions: [{ type: "status", equals: 200 }] }],
  });

  it("runs tests in parallel up to the concurrency, in definition order in the result, with events", async () => {
    const events: RunEvent[] = [];
    const suite: SuiteDefinitionInput = {
      name: "parallel",
      tests: [
        quick("a", "/slow?ms=300&tag=p"),
        quick("b", "/slow?ms=300&tag=p"),
        quick("c", "/slow?ms=300&tag=p"),
        quick("e", "/slow?ms=300&tag=p"),
        { ...quick("d"), skip: true },
      ],
    };
    const run = await runSuite(suite, {
      environment: environment(),
      http,
      concurrency: 3,
      onEvent: (e) => events.push(e),
    });
    expect(run.tests.map((t) => [t.testId, t.status])).toEqual([
      ["a", "passed"],
      ["b", "passed"],
      ["c", "passed"],
      ["e", "passed"],
      ["d", "skipped"],
    ]);
    // Three of the four 300 ms tests were in flight together, never four.
    expect(target.maxSlowInFlight("p")).toBe(3);
    expect(events[0]).toEqual({ type: "run-started", suiteName: "parallel", total: 5 });
    expect(events.filter((e) => e.type === "test-started")).toHaveLength(4);
    expect(events.filter((e) => e.type === "test-finished")).toHaveLength(5);
    expect(events.some((e) => e.type === "log" && e.line.startsWith("→ GET"))).toBe(true);
    expect(events.at(-1)?.type).toBe("run-finished");
  });

  it("cancels mid-run: the running test errors, the rest are skipped, nothing hangs", async () => {
    const controller = new AbortController();
    const suite: SuiteDefinitionInput = {
      name: "cancel",
      tests: [quick("first"), quick("hang", "/hang"), quick("after-1"), quick("after-2")],
    };
    const run = await runSuite(suite, {
      environment: environment(),
      http,
      concurrency: 1,
      onEvent: (event) => {
        if (event.type === "test-started" && event.testId === "hang")
          setTimeout(() => controller.abort(), 150);
      },
      signal: controller.signal,
    });
    expect(run.status).toBe("cancelled");
    expect(run.tests.map((t) => t.status)).toEqual(["passed", "error", "skipped", "skipped"]);
    expect(run.tests[1]?.attempts[0]?.steps[0]?.error).toBe("run cancelled");
    expect(run.tests[2]?.skippedReason).toBe("run cancelled");
    expect(run.durationMs).toBeLessThan(5_000);
  });

  it("does not retry a test after the run is cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const run = await runSuite(
      { name: "cancel-retry", tests: [quick("hang", "/hang")] },
      { environment: environment(), http, retries: 3, signal: controller.signal },
    );
    expect(run.tests[0]?.attempts).toHaveLength(1);
  });

  it("refuses an invalid suite with zod's error before running anything", async () => {
    const before = target.hits.get("/ok") ?? 0;
    await expect(
      runSuite(
        { name: "bad", tests: [{ ...quick("x"), steps: [] }] },
        { environment: environment(), http },
      ),
    ).rejects.toThrow(/steps/);
    expect(target.hits.get("/ok") ?? 0).toBe(before);
  });
});

describe("secrets", () => {
  it("never appear in results, logs or events, in any form the request carried them", async () => {
    const events: RunEvent[] = [];
    const run = await runSuite(
      {
        name: "secret {{password}} suite",
        tests: [
          {
            id: "s1",
            name: "echo",
            kind: "http",
            steps: [
              {
                method: "POST",
                url: "/echo?pw={{password}}&again={{password}}",
                headers: { authorization: "Basic {{password}}", "x-custom": "pw={{password}}" },
                body: "password={{password}}",
                assertions: [
                  { type: "body", expect: { operator: "contains", value: "{{password}}" } },
                  { type: "body", expect: { operator: "equals", value: "{{password}}" } },
                  {
                    type: "header",
                    name: "x-echo-auth",
                    expect: { operator: "equals", value: "nope {{password}}" },
                  },
                ],
                extract: [{ name: "echoed", from: "jsonPath", path: "$.body" }],
              },
              {
                method: "GET",
                url: "/missing-{{echoed}}",
                assertions: [{ type: "status", equals: 200 }],
              },
            ],
          },
        ],
      },
      { environment: environment(), http, onEvent: (e) => events.push(e) },
    );
    const everything = JSON.stringify({ run, events });
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(encodeURIComponent(SECRET));
    expect(everything).toContain("[secret]");
    // The secret was really sent (the echo contains it), so the masking did the work.
    const step = run.tests[0]?.attempts[0]?.steps[0];
    expect(step?.assertions[0]).toMatchObject({ passed: true, expected: "[secret]" });
    expect(step?.exchange?.request.url).toBe(`${target.url}/echo?pw=[secret]&again=[secret]`);
  });
});
