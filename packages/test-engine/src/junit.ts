// JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters, surefire's own
// schema): one <testsuite> per run, one <testcase> per test.
// - failed  → <failure message type> with the failing assertions/steps as text
// - error   → <error message type>
// - skipped → <skipped message/>
// - flaky   → a passing <testcase> with one <flakyFailure>/<flakyError> per failed attempt
//   (surefire's rerun format; readers that do not know it see a pass, which it finally was)
import type { AttemptResult, RunResult, TestResult } from "./results.ts";

/**
 * Characters XML 1.0 forbids anywhere, even escaped: C0 controls other than tab/LF/CR,
 * U+FFFE/U+FFFF and lone surrogates (with the `u` flag a well-formed pair is one code point
 * and does not match). They become U+FFFD.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function attr(name: string, value: string | number): string {
  // Parsers normalise raw whitespace in attributes to spaces; character references survive.
  const escaped = escapeXml(String(value))
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
  return ` ${name}="${escaped}"`;
}

/** What went wrong in one attempt, as readable text (already masked by the engine). */
export function attemptFailureText(attempt: AttemptResult): { message: string; details: string } {
  const lines: string[] = [];
  let message = attempt.error ?? "";
  if (attempt.error) lines.push(attempt.error);
  for (const step of attempt.steps) {
    if (step.status === "passed" || step.status === "skipped") continue;
    lines.push(
      `step ${step.index + 1} (${step.name}): ${step.status}${step.error ? `: ${step.error}` : ""}`,
    );
    if (!message) message = step.error ?? `step ${step.index + 1} failed: ${step.name}`;
    for (const assertion of step.assertions.filter((a) => !a.passed)) {
      lines.push(
        `  ${assertion.description}: expected ${assertion.expected}, actual ${assertion.actual}`,
      );
      if (message === `step ${step.index + 1} failed: ${step.name}`) {
        message = `${assertion.description}: expected ${assertion.expected}, actual ${assertion.actual}`;
      }
    }
  }
  return { message: message || attempt.status, details: lines.join("\n") };
}

function testcase(test: TestResult, suiteName: string): string {
  const open = `    <testcase${attr("name", test.name)}${attr("classname", suiteName)}${attr("time", seconds(test.durationMs))}`;
  const children: string[] = [];
  const last = test.attempts.at(-1);
  if (test.status === "skipped") {
    children.push(`      <skipped${attr("message", test.skippedReason ?? "skipped")}/>`);
  } else if ((test.status === "failed" || test.status === "error") && last) {
    const { message, details } = attemptFailureText(last);
    const tag = test.status === "failed" ? "failure" : "error";
    children.push(
      `      <${tag}${attr("message", message)}${attr("type", test.status === "failed" ? "AssertionError" : "Error")}>${escapeXml(details)}</${tag}>`,
    );
  } else if (test.status === "flaky") {
    for (const attempt of test.attempts.slice(0, -1)) {
      const { message, details } = attemptFailureText(attempt);
      const tag = attempt.status === "error" ? "flakyError" : "flakyFailure";
      children.push(
        `      <${tag}${attr("message", message)}${attr("type", attempt.status === "error" ? "Error" : "AssertionError")}><stackTrace>${escapeXml(details)}</stackTrace></${tag}>`,
      );
    }
  }
  const logs = test.attempts.flatMap((a) => a.logs.map((line) => `[attempt ${a.attempt}] ${line}`));
  if (logs.length > 0)
    children.push(`      <system-out>${escapeXml(logs.join("\n"))}</system-out>`);
  return children.length === 0 ? `${open}/>` : `${open}>\n${children.join("\n")}\n    </testcase>`;
}

export function renderJUnitXml(run: RunResult): string {
  const { summary } = run;
  const suiteAttrs =
    attr("name", run.suiteName) +
    attr("tests", summary.total) +
    attr("failures", summary.failed) +
    attr("errors", summary.error) +
    attr("skipped", summary.skipped) +
    attr("time", seconds(run.durationMs)) +
    attr("timestamp", run.startedAt.replace(/Z$/, ""));
  const properties = [
    `    <properties>`,
    `      <property${attr("name", "environment")}${attr("value", run.environmentName)}/>`,
    `      <property${attr("name", "status")}${attr("value", run.status)}/>`,
    `      <property${attr("name", "flaky")}${attr("value", summary.flaky)}/>`,
    `    </properties>`,
  ];
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attr("name", run.suiteName)}${attr("tests", summary.total)}${attr("failures", summary.failed)}${attr("errors", summary.error)}${attr("skipped", summary.skipped)}${attr("time", seconds(run.durationMs))}>`,
    `  <testsuite${suiteAttrs}>`,
    ...properties,
    ...run.tests.map((test) => testcase(test, run.suiteName)),
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
