// Browser tests on playwright-core driving the system's Chromium (Debian's /usr/bin/chromium;
// playwright's own browser download does not work on these machines). One browser per
// runner, launched on first use; a fresh context (cookies, storage) per attempt; a
// screenshot of the page when a step does not pass, returned as bytes for the caller to store.
import { performance } from "node:perf_hooks";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from "playwright-core";
import { StepTimeoutError } from "./errors.ts";
import { deadline, raceSignal } from "./deadline.ts";
import type { Artifact, AssertionResult, StepResult } from "./results.ts";
import {
  initialVariables,
  resolveUrl,
  skippedSteps,
  stepErrorMessage,
  withBuiltins,
  type AttemptContext,
  type AttemptOutcome,
} from "./runner.ts";
import { LIMITS, type BrowserStep, type BrowserTest } from "./schema.ts";
import { renderTemplate, type Variables } from "./template.ts";
import { truncate } from "./values.ts";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface BrowserRunnerOptions {
  /** Default /usr/bin/chromium. */
  executablePath?: string;
  /** How often expectText/expectUrl look again until their timeout. Default 100 ms. */
  pollMs?: number;
}

export interface BrowserRunner {
  runAttempt(test: BrowserTest, context: AttemptContext): Promise<AttemptOutcome>;
  close(): Promise<void>;
}

export function describeBrowserStep(step: BrowserStep): string {
  if (step.name) return step.name;
  switch (step.action) {
    case "goto":
      return `goto ${step.url}`;
    case "press":
      return step.selector ? `press ${step.key} in ${step.selector}` : `press ${step.key}`;
    case "expectUrl":
      return `expectUrl ${step.expect.operator} ${"value" in step.expect ? step.expect.value : step.expect.pattern}`;
    case "screenshot":
      return `screenshot ${step.label}`;
    default:
      return `${step.action} ${step.selector}`;
  }
}

/** A step whose expectation did not hold (as opposed to one that could not be carried out). */
class ExpectationFailed extends Error {
  constructor(readonly assertion: AssertionResult) {
    super(`${assertion.description}: expected ${assertion.expected}, got ${assertion.actual}`);
  }
}

export function createBrowserRunner(options: BrowserRunnerOptions = {}): BrowserRunner {
  let launching: Promise<Browser> | undefined;
  const pollMs = options.pollMs ?? 100;
  const browser = () =>
    (launching ??= chromium
      .launch({
        executablePath: options.executablePath ?? "/usr/bin/chromium",
        args: CHROMIUM_ARGS,
      })
      .catch((error: unknown) => {
        launching = undefined; // the next test tries again
        throw error;
      }));

  async function poll<T>(
    read: () => Promise<T>,
    holds: (value: T) => boolean,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<{ held: boolean; last: T | undefined }> {
    const until = performance.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      try {
        last = await read();
        if (holds(last)) return { held: true, last };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (performance.now() >= until) throw error;
      }
      if (performance.now() >= until) return { held: false, last };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async function perform(
    page: Page,
    step: BrowserStep,
    scope: Variables,
    baseUrl: string | undefined,
    timeout: number,
    signal: AbortSignal,
  ): Promise<{ assertion?: AssertionResult; artifact?: Omit<Artifact, "stepIndex"> }> {
    const render = (template: string) => renderTemplate(template, scope);
    const locate = (selector: string): Locator => page.locator(render(selector)).first();
    switch (step.action) {
      case "goto":
        await page.goto(resolveUrl(render(step.url), baseUrl), { timeout, waitUntil: "load" });
        return {};
      case "click":
        await locate(step.selector).click({ timeout });
        return {};
      case "fill":
        await locate(step.selector).fill(render(step.value), { timeout });
        return {};
      case "select": {
        const values = Array.isArray(step.value) ? step.value.map(render) : render(step.value);
        await locate(step.selector).selectOption(values, { timeout });
        return {};
      }
      case "press":
        if (step.selector) await locate(step.selector).press(step.key, { timeout });
        else await page.keyboard.press(step.key);
        return {};
      case "waitFor":
        await locate(step.selector).waitFor({ state: step.state, timeout });
        return {};
      case "expectVisible": {
        const locator = locate(step.selector);
        const { held } = await poll(
          () => locator.isVisible(),
          (visible) => visible,
          timeout,
          signal,
        );
        const assertion = {
          description: `visible ${step.selector}`,
          passed: held,
          expected: "visible",
          actual: held ? "visible" : "not visible",
        };
        if (!held) throw new ExpectationFailed(assertion);
        return { assertion };
      }
      case "expectText": {
        const expected = render(step.text);
        const locator = locate(step.selector);
        const { held, last } = await poll(
          async () =>
            ((await locator.textContent({ timeout: Math.min(timeout, 1_000) })) ?? "").trim(),
          (text) => (step.match === "equals" ? text === expected : text.includes(expected)),
          timeout,
          signal,
        );
        const assertion = {
          description: `text of ${step.selector} ${step.match}`,
          passed: held,
          expected,
          actual: last ?? "(no element)",
        };
        if (!held) throw new ExpectationFailed(assertion);
        return { assertion };
      }
      case "expectUrl": {
        const matcher = step.expect;
        const expected =
          matcher.operator === "matches"
            ? new RegExp(matcher.pattern, matcher.flags ?? "")
            : resolveMaybe(render(matcher.value), baseUrl, matcher.operator);
        const holds = (url: string) =>
          expected instanceof RegExp
            ? expected.test(url)
            : matcher.operator === "equals"
              ? url === expected
              : url.includes(expected);
        const { held, last } = await poll(
          () => Promise.resolve(page.url()),
          holds,
          timeout,
          signal,
        );
        const assertion = {
          description: `url ${matcher.operator}`,
          passed: held,
          expected: String(expected),
          actual: last ?? page.url(),
        };
        if (!held) throw new ExpectationFailed(assertion);
        return { assertion };
      }
      case "screenshot": {
        const bytes = await page.screenshot({ fullPage: step.fullPage, timeout });
        return {
          artifact: { kind: "screenshot", label: step.label, contentType: "image/png", bytes },
        };
      }
    }
  }

  return {
    async runAttempt(test, context) {
      const { masker, environment } = context;
      const artifacts: Artifact[] = [];
      const steps: StepResult[] = [];
      let browserContext: BrowserContext | undefined;
      const closeOnAbort = () => void browserContext?.close().catch(() => {});
      context.signal.addEventListener("abort", closeOnAbort, { once: true });
      try {
        const instance = await raceSignal(browser(), context.signal);
        browserContext = await instance.newContext(
          test.viewport ? { viewport: test.viewport } : {},
        );
        const page = await browserContext.newPage();
        const variables = withBuiltins(initialVariables(environment), environment);
        for (const [index, step] of test.steps.entries()) {
          if (context.signal.aborted) break;
          const started = performance.now();
          const name = masker.text(describeBrowserStep(step));
          const result: StepResult = {
            index,
            name,
            status: "passed",
            durationMs: 0,
            assertions: [],
          };
          const timeout = step.timeoutMs ?? LIMITS.stepTimeoutMs.default;
          const guard = deadline(
            context.signal,
            timeout + 1_000,
            () => new StepTimeoutError(timeout),
          );
          context.log(name);
          try {
            const done = await raceSignal(
              perform(page, step, variables, environment.baseUrl, timeout, guard.signal),
              guard.signal,
            );
            if (done.assertion)
              result.assertions.push(maskAssertion(done.assertion, (text) => masker.text(text)));
            if (done.artifact) artifacts.push({ ...done.artifact, stepIndex: index });
          } catch (error) {
            if (error instanceof ExpectationFailed && !guard.signal.aborted) {
              result.status = "failed";
              result.assertions.push(maskAssertion(error.assertion, (text) => masker.text(text)));
            } else {
              result.status = "error";
              result.error = truncate(
                masker.text(firstLines(stepErrorMessage(error, [guard.signal]))),
                2_000,
              ).text;
            }
            context.log(`✗ ${result.error ?? "expectation failed"}`);
          } finally {
            guard.clear();
            result.durationMs = performance.now() - started;
          }
          steps.push(result);
          if (result.status !== "passed") {
            if (!context.signal.aborted) {
              const bytes = await page.screenshot({ timeout: 5_000 }).catch(() => undefined);
              if (bytes)
                artifacts.push({
                  kind: "screenshot",
                  label: "failure",
                  stepIndex: index,
                  contentType: "image/png",
                  bytes,
                });
            }
            break;
          }
        }
        steps.push(
          ...skippedSteps(test.steps, steps.length, (s) => masker.text(describeBrowserStep(s))),
        );
        return { steps, artifacts };
      } catch (error) {
        steps.push(
          ...skippedSteps(test.steps, steps.length, (s) => masker.text(describeBrowserStep(s))),
        );
        return { steps, artifacts, error: masker.text(stepErrorMessage(error, [context.signal])) };
      } finally {
        context.signal.removeEventListener("abort", closeOnAbort);
        await browserContext?.close().catch(() => {});
      }
    },
    async close() {
      const pending = launching;
      launching = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}

function resolveMaybe(
  value: string,
  baseUrl: string | undefined,
  operator: "equals" | "contains",
): string {
  // `equals: /done` means the page at base URL + /done; `contains` is a plain substring.
  return operator === "equals" && value.startsWith("/") ? resolveUrl(value, baseUrl) : value;
}

function maskAssertion(
  assertion: AssertionResult,
  mask: (text: string) => string,
): AssertionResult {
  return {
    description: mask(assertion.description),
    passed: assertion.passed,
    expected: truncate(mask(assertion.expected), 2_000).text,
    actual: truncate(mask(assertion.actual), 2_000).text,
  };
}

/** Playwright appends a long call log to its messages; the first lines say what happened. */
function firstLines(message: string): string {
  return message.split("\n").slice(0, 6).join("\n");
}
