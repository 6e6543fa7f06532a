// JUnit XML from a real run (pass, fail, error, skip, flaky) parsed back with fast-xml-parser:
// the structure CI systems read, the counts, and text that needed escaping arriving intact.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHttpRunner,
  escapeXml,
  renderJUnitXml,
  runSuite,
  type HttpRunner,
} from "../src/index.ts";
import { startTargetServer, type TargetServer } from "./target-server.ts";

let target: TargetServer;
let http: HttpRunner;
beforeAll(async () => {
  target = await startTargetServer();
  http = createHttpRunner();
});
afterAll(async () => {
  await http.close();
  await target.close();
});

const NASTY = `<a href="x">Tom & "Jerry" 'quoted'</a> ]]> \u0001bell\u0007 emoji 😀`;

interface ParsedCase {
  "@_name": string;
  "@_classname": string;
  "@_time": string;
  failure?: { "@_message": string; "@_type": string; "#text"?: string };
  error?: { "@_message": string };
  skipped?: { "@_message": string };
  flakyFailure?:
    { "@_message": string; stackTrace: string } | { "@_message": string; stackTrace: string }[];
  "system-out"?: string;
}

describe("JUnit XML", () => {
  it("renders every outcome the way CI systems read it, and parses back", async () => {
    const run = await runSuite(
      {
        name: `suite ${NASTY}`,
        tests: [
          {
            id: "p",
            name: "passes",
            kind: "http",
            steps: [{ method: "GET", url: "/ok", assertions: [{ type: "status", equals: 200 }] }],
          },
          {
            id: "f",
            name: `fails ${NASTY}`,
            kind: "http",
            steps: [
              {
                method: "GET",
                url: "/ok",
                assertions: [
                  {
                    type: "jsonPath",
                    path: "$.user.name",
                    expect: { operator: "equals", value: NASTY },
                  },
                ],
              },
            ],
          },
          {
            id: "e",
            name: "errors",
            kind: "http",
            steps: [{ method: "GET", url: "/slow?ms=2000", timeoutMs: 100 }],
          },
          {
            id: "s",
            name: "skipped",
            kind: "http",
            skip: true,
            steps: [{ method: "GET", url: "/ok" }],
          },
          {
            id: "k",
            name: "flaky",
            kind: "http",
            steps: [
              {
                method: "GET",
                url: "/flaky?key=junit&failTimes=1",
                assertions: [{ type: "status", equals: 200 }],
              },
            ],
          },
        ],
      },
      { environment: { name: "staging & co", baseUrl: target.url }, http, retries: 1 },
    );
    const xml = renderJUnitXml(run);
    expect(XMLValidator.validate(xml)).toBe(true);

    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === "testcase",
    }).parse(xml) as {
      testsuites: {
        "@_tests": string;
        "@_failures": string;
        testsuite: {
          "@_name": string;
          "@_tests": string;
          "@_failures": string;
          "@_errors": string;
          "@_skipped": string;
          "@_timestamp": string;
          properties: { property: { "@_name": string; "@_value": string }[] };
          testcase: ParsedCase[];
        };
      };
    };
    const suite = parsed.testsuites.testsuite;
    expect(parsed.testsuites["@_tests"]).toBe("5");
    expect(suite["@_name"]).toBe(
      `suite ${NASTY.replace("\u0001", "\uFFFD").replace("\u0007", "\uFFFD")}`,
    );
    expect([suite["@_tests"], suite["@_failures"], suite["@_errors"], suite["@_skipped"]]).toEqual([
      "5",
      "1",
      "1",
      "1",
    ]);
    expect(suite["@_timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(suite.properties.property).toContainEqual({
      "@_name": "environment",
      "@_value": "staging & co",
    });
    expect(suite.properties.property).toContainEqual({ "@_name": "flaky", "@_value": "1" });

    const [passes, fails, errors, skipped, flaky] = suite.testcase;
    expect(passes?.failure ?? passes?.error ?? passes?.skipped).toBeUndefined();
    expect(Number(passes?.["@_time"])).toBeGreaterThanOrEqual(0);
    expect(fails?.failure?.["@_type"]).toBe("AssertionError");
    expect(fails?.failure?.["@_message"]).toContain(
      'jsonPath $.user.name equals: expected <a href="x">Tom & "Jerry"',
    );
    expect(fails?.failure?.["@_message"]).toContain("actual Ada");
    expect(errors?.error?.["@_message"]).toBe("step timed out after 100 ms");
    expect(skipped?.skipped?.["@_message"]).toBe("skipped in its definition");
    // Flaky: passing testcase (no failure/error) with the failed attempt as flakyFailure.
    expect(flaky?.failure ?? flaky?.error).toBeUndefined();
    const flakyFailure = Array.isArray(flaky?.flakyFailure)
      ? flaky.flakyFailure[0]
      : flaky?.flakyFailure;
    expect(flakyFailure?.["@_message"]).toBe("status: expected 200, actual 503");
    expect(flaky?.["system-out"]).toContain("[attempt 2] ← 200");
  });

  it("escapes markup and replaces characters XML cannot carry", () => {
    expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
    expect(escapeXml("a\u0000b\u001Fc\uD800d😀\te\n")).toBe("a\uFFFDb\uFFFDc\uFFFDd😀\te\n");
  });
});
