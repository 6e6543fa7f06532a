// Evaluating a step's assertions and extractions against its answer. Expected values are
// templates too (`equals: "{{userId}}"`); what is reported is masked by the caller.
import { queryJsonPath } from "./json-path.ts";
import type { Extraction, HttpAssertion, JsonMatcher, JsonValue, TextMatcher } from "./schema.ts";
import { renderJson, renderTemplate, type Variables } from "./template.ts";
import { deepEqual, display, toRegExp } from "./values.ts";
import type { AssertionResult } from "./results.ts";

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bodyText: string;
  timeMs: number;
}

/** Parses the body once, on first use. */
function jsonOf(
  answer: HttpAnswer,
  cache: { value?: { ok: true; json: JsonValue } | { ok: false } },
) {
  if (!cache.value) {
    try {
      cache.value = { ok: true, json: JSON.parse(answer.bodyText) as JsonValue };
    } catch {
      cache.value = { ok: false };
    }
  }
  return cache.value;
}

function checkText(
  description: string,
  actual: string | undefined,
  matcher: TextMatcher,
  variables: Variables,
): AssertionResult {
  const shown = actual ?? "(absent)";
  switch (matcher.operator) {
    case "exists":
      return { description, passed: actual !== undefined, expected: "present", actual: shown };
    case "absent":
      return { description, passed: actual === undefined, expected: "absent", actual: shown };
    case "equals": {
      const expected = renderTemplate(matcher.value, variables);
      return { description, passed: actual === expected, expected, actual: shown };
    }
    case "contains": {
      const expected = renderTemplate(matcher.value, variables);
      return { description, passed: actual?.includes(expected) ?? false, expected, actual: shown };
    }
    case "notContains": {
      const expected = renderTemplate(matcher.value, variables);
      return {
        description,
        passed: actual !== undefined && !actual.includes(expected),
        expected: `not containing ${expected}`,
        actual: shown,
      };
    }
    case "matches": {
      const regex = toRegExp(matcher.pattern, matcher.flags);
      return {
        description,
        passed: actual !== undefined && regex.test(actual),
        expected: String(regex),
        actual: shown,
      };
    }
  }
}

function checkJson(
  description: string,
  matches: JsonValue[],
  matcher: JsonMatcher,
  variables: Variables,
): AssertionResult {
  const first = matches[0];
  const actual =
    matches.length === 0 ? "(no match)" : display(matches.length === 1 ? first : matches);
  switch (matcher.operator) {
    case "exists":
      return { description, passed: matches.length > 0, expected: "a match", actual };
    case "absent":
      return { description, passed: matches.length === 0, expected: "no match", actual };
    case "equals": {
      const expected = renderJson(matcher.value, variables);
      return {
        description,
        passed: matches.length > 0 && deepEqual(first, expected),
        expected: display(expected),
        actual,
      };
    }
    case "contains": {
      const expected = renderJson(matcher.value, variables);
      const passed =
        (typeof first === "string" && typeof expected === "string" && first.includes(expected)) ||
        (Array.isArray(first) && first.some((item) => deepEqual(item, expected)));
      return { description, passed, expected: `containing ${display(expected)}`, actual };
    }
    case "matches": {
      const regex = toRegExp(matcher.pattern, matcher.flags);
      return {
        description,
        passed:
          first !== undefined &&
          first !== null &&
          typeof first !== "object" &&
          regex.test(String(first)),
        expected: String(regex),
        actual,
      };
    }
  }
}

export function evaluateAssertions(
  assertions: HttpAssertion[],
  answer: HttpAnswer,
  variables: Variables,
): AssertionResult[] {
  const cache = {};
  return assertions.map((assertion) => {
    switch (assertion.type) {
      case "status": {
        const allowed = Array.isArray(assertion.equals) ? assertion.equals : [assertion.equals];
        return {
          description: "status",
          passed: allowed.includes(answer.status),
          expected: allowed.join(" or "),
          actual: String(answer.status),
        };
      }
      case "header":
        return checkText(
          `header ${assertion.name} ${assertion.expect.operator}`,
          answer.headers[assertion.name.toLowerCase()],
          assertion.expect,
          variables,
        );
      case "body":
        return checkText(
          `body ${assertion.expect.operator}`,
          answer.bodyText,
          assertion.expect,
          variables,
        );
      case "responseTime":
        return {
          description: "response time",
          passed: answer.timeMs < assertion.lessThanMs,
          expected: `< ${assertion.lessThanMs} ms`,
          actual: `${Math.round(answer.timeMs)} ms`,
        };
      case "jsonPath": {
        const description = `jsonPath ${assertion.path} ${assertion.expect.operator}`;
        const parsed = jsonOf(answer, cache);
        if (!parsed.ok) {
          return {
            description,
            passed: false,
            expected: "a JSON body",
            actual: "body is not JSON",
          };
        }
        return checkJson(
          description,
          queryJsonPath(parsed.json, assertion.path),
          assertion.expect,
          variables,
        );
      }
    }
  });
}

export type ExtractionOutcome =
  { ok: true; name: string; value: string } | { ok: false; name: string; failure: AssertionResult };

export function extractValues(extractions: Extraction[], answer: HttpAnswer): ExtractionOutcome[] {
  const cache = {};
  return extractions.map((extraction): ExtractionOutcome => {
    const miss = (source: string, actual: string): ExtractionOutcome => ({
      ok: false,
      name: extraction.name,
      failure: {
        description: `extract ${extraction.name} from ${source}`,
        passed: false,
        expected: "a value",
        actual,
      },
    });
    switch (extraction.from) {
      case "status":
        return { ok: true, name: extraction.name, value: String(answer.status) };
      case "header": {
        const value = answer.headers[extraction.header.toLowerCase()];
        return value === undefined
          ? miss(`header ${extraction.header}`, "(absent)")
          : { ok: true, name: extraction.name, value };
      }
      case "body": {
        const match = toRegExp(extraction.pattern, extraction.flags).exec(answer.bodyText);
        const value = match ? (match[1] ?? match[0]) : undefined;
        return value === undefined
          ? miss(`body /${extraction.pattern}/`, "(no match)")
          : { ok: true, name: extraction.name, value };
      }
      case "jsonPath": {
        const parsed = jsonOf(answer, cache);
        if (!parsed.ok) return miss(`jsonPath ${extraction.path}`, "body is not JSON");
        const first = queryJsonPath(parsed.json, extraction.path)[0];
        return first === undefined
          ? miss(`jsonPath ${extraction.path}`, "(no match)")
          : { ok: true, name: extraction.name, value: display(first) };
      }
    }
  });
}
