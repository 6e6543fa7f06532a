// The browser runner against local HTML pages, in Debian's Chromium: a passing form flow, a
// failing expectation with its screenshot bytes, an action that cannot complete, cancellation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBrowserRunner, type BrowserRunner } from "../src/browser-runner.ts";
import {
  createHttpRunner,
  runSuite,
  type HttpRunner,
  type RunEvent,
  type TestDefinitionInput,
} from "../src/index.ts";
import { startTargetServer, type TargetServer } from "./target-server.ts";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SECRET = "Very-Secret-Name-9";

let target: TargetServer;
let browser: BrowserRunner;
let http: HttpRunner;
beforeAll(async () => {
  target = await startTargetServer();
  browser = createBrowserRunner({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  });
  http = createHttpRunner();
});
afterAll(async () => {
  await browser.close();
  await http.close();
  await target.close();
});

const run = (
  tests: TestDefinitionInput[],
  signal?: AbortSignal,
  onEvent?: (event: RunEvent) => void,
) =>
  runSuite(
    { name: "browser", tests },
    {
      environment: {
        baseUrl: target.url,
        variables: { who: "Ada" },
        secrets: { secretName: SECRET },
      },
      http,
      browser,
      concurrency: 2,
      ...(signal ? { signal } : {}),
      ...(onEvent ? { onEvent } : {}),
    },
  );

describe("browser runner", () => {
  it("fills a form, selects, submits and checks text, visibility and URL", async () => {
    const result = await run([
      {
        id: "signup",
        name: "sign up",
        kind: "browser",
        steps: [
          { action: "goto", url: "/html/form" },
          { action: "expectVisible", selector: "#late", timeoutMs: 5_000 },
          { action: "fill", selector: "#name", value: "{{who}}" },
          { action: "select", selector: "#plan", value: "pro" },
          { action: "screenshot", label: "filled" },
          { action: "click", selector: "#submit" },
          { action: "waitFor", selector: "#greeting" },
          { action: "expectText", selector: "#greeting", text: "Welcome, Ada" },
          { action: "expectText", selector: "#plan", text: "Plan: pro", match: "equals" },
          { action: "expectUrl", expect: { operator: "contains", value: "/html/done?name=Ada" } },
          { action: "expectUrl", expect: { operator: "matches", pattern: "plan=pro$" } },
        ],
      },
    ]);
    const test = result.tests[0];
    const attempt = test?.attempts[0];
    expect(attempt?.steps.map((s) => s.status)).toEqual(Array(11).fill("passed"));
    expect(test?.status).toBe("passed");
    expect(attempt?.artifacts).toHaveLength(1);
    expect(attempt?.artifacts[0]).toMatchObject({
      label: "filled",
      stepIndex: 4,
      contentType: "image/png",
    });
    expect([...(attempt?.artifacts[0]?.bytes.subarray(0, 8) ?? [])]).toEqual(PNG_SIGNATURE);
  });

  it("fails an expectation with expected and actual, and returns a screenshot of the failure", async () => {
    const result = await run([
      {
        id: "wrong",
        name: "wrong greeting",
        kind: "browser",
        steps: [
          { action: "goto", url: "/html/done?name={{secretName}}" },
          { action: "expectText", selector: "#greeting", text: "Goodbye", timeoutMs: 500 },
          { action: "click", selector: "#never" },
        ],
      },
      {
        id: "missing",
        name: "missing element",
        kind: "browser",
        steps: [
          { action: "goto", url: "/html/form" },
          { action: "click", selector: "#does-not-exist", timeoutMs: 300 },
        ],
      },
    ]);
    const [wrong, missing] = result.tests;
    expect(wrong?.status).toBe("failed");
    const steps = wrong?.attempts[0]?.steps ?? [];
    expect(steps.map((s) => s.status)).toEqual(["passed", "failed", "skipped"]);
    expect(steps[1]?.assertions[0]).toMatchObject({
      passed: false,
      expected: "Goodbye",
      actual: "Welcome, [secret]",
    });
    const shots = wrong?.attempts[0]?.artifacts ?? [];
    expect(shots.map((a) => [a.label, a.stepIndex])).toEqual([["failure", 1]]);
    expect([...(shots[0]?.bytes.subarray(0, 8) ?? [])]).toEqual(PNG_SIGNATURE);

    expect(missing?.status).toBe("error");
    expect(missing?.attempts[0]?.steps[1]?.error).toMatch(/Timeout 300ms exceeded/);
    expect(
      JSON.stringify(result, (_key, value: unknown) =>
        value instanceof Uint8Array ? "bytes" : value,
      ),
    ).not.toContain(SECRET);
  });

  it("stops a browser test when the run is cancelled", async () => {
    const controller = new AbortController();
    const result = await run(
      [
        {
          id: "waits",
          name: "waits forever",
          kind: "browser",
          steps: [
            { action: "goto", url: "/html/form" },
            { action: "waitFor", selector: "#never-appears", timeoutMs: 60_000 },
          ],
        },
      ],
      controller.signal,
      (event) => {
        if (event.type === "log" && event.line.startsWith("waitFor")) {
          setTimeout(() => controller.abort(), 300);
        }
      },
    );
    expect(result.tests[0]?.attempts[0]?.steps[0]?.status).toBe("passed");
    expect(result.status).toBe("cancelled");
    expect(result.tests[0]?.status).toBe("error");
    expect(result.tests[0]?.attempts[0]?.steps[1]?.error).toBe("run cancelled");
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it("ends browser tests as error when no browser is given or it cannot start", async () => {
    const test: TestDefinitionInput = {
      id: "b",
      name: "needs a browser",
      kind: "browser",
      steps: [{ action: "goto", url: "/html/form" }],
    };
    const environment = { baseUrl: target.url };
    const without = await runSuite({ name: "no browser", tests: [test] }, { environment, http });
    expect(without.tests[0]?.status).toBe("error");
    expect(without.tests[0]?.attempts[0]?.error).toBe("browser tests are not available here");

    const broken = createBrowserRunner({ executablePath: "/nonexistent/chromium" });
    const failed = await runSuite(
      { name: "broken browser", tests: [test] },
      { environment, http, browser: broken, retries: 1 },
    );
    // Each attempt ends as error and says why (the launch error, not a crash of the run).
    expect(failed.tests[0]?.attempts.map((a) => a.status)).toEqual(["error", "error"]);
    expect(failed.tests[0]?.attempts[1]?.error).toMatch(/nonexistent/);
    await broken.close();
  });
});
