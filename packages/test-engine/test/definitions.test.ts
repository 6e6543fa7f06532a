// Definitions: the zod schemas' limits, JSON and YAML import/export round trips, templates
// with their typed error, and the secret masker.
import { describe, expect, it } from "vitest";
import {
  DefinitionParseError,
  LIMITS,
  MASK,
  MissingVariableError,
  createMasker,
  parseSuite,
  parseTest,
  queryJsonPath,
  renderJson,
  renderTemplate,
  serializeDefinition,
  suiteDefinitionSchema,
  testDefinitionSchema,
  type SuiteDefinitionInput,
} from "../src/index.ts";

const SUITE: SuiteDefinitionInput = {
  name: "smoke",
  tests: [
    {
      id: "health",
      name: "health answers",
      kind: "http",
      steps: [
        {
          method: "POST",
          url: "/login",
          json: { user: "{{user}}" },
          assertions: [
            { type: "status", equals: [200, 201] },
            {
              type: "jsonPath",
              path: "$.token",
              expect: { operator: "matches", pattern: "^tok-" },
            },
          ],
          extract: [{ name: "token", from: "jsonPath", path: "$.token" }],
        },
      ],
    },
    {
      id: "ui",
      name: "home page",
      kind: "browser",
      steps: [
        { action: "goto", url: "/" },
        { action: "waitFor", selector: "h1" },
        { action: "expectUrl", expect: { operator: "contains", value: "/" } },
      ],
    },
  ],
};

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("schemas", () => {
  it("fills defaults and keeps both kinds of test", () => {
    const suite = suiteDefinitionSchema.parse(SUITE);
    const [http, browser] = suite.tests;
    expect(http?.kind === "http" && http.steps[0]?.headers).toEqual({});
    expect(browser?.kind === "browser" && browser.steps[1]).toEqual({
      action: "waitFor",
      selector: "h1",
      state: "visible",
    });
    expect(http?.skip).toBe(false);
  });

  it("refuses what is over the limits or malformed", () => {
    const step = { method: "GET", url: "/x" };
    const http = (steps: unknown[]) => ({ id: "a", name: "a", kind: "http", steps });
    expect(testDefinitionSchema.safeParse(http([])).success).toBe(false);
    expect(
      testDefinitionSchema.safeParse(http(Array(LIMITS.stepsPerTest + 1).fill(step))).success,
    ).toBe(false);
    expect(
      testDefinitionSchema.safeParse(http(Array(LIMITS.stepsPerTest).fill(step))).success,
    ).toBe(true);
    const bigBody = { ...step, method: "POST", body: "x".repeat(LIMITS.requestBodyChars + 1) };
    expect(testDefinitionSchema.safeParse(http([bigBody])).success).toBe(false);
    expect(
      testDefinitionSchema.safeParse(http([{ ...step, body: "a", json: { a: 1 } }])).success,
    ).toBe(false);
    expect(testDefinitionSchema.safeParse(http([{ ...step, method: "TRACE" }])).success).toBe(
      false,
    );
    expect(
      testDefinitionSchema.safeParse(http([{ ...step, headers: { "bad header": "x" } }])).success,
    ).toBe(false);
    const badRegex = {
      ...step,
      assertions: [{ type: "body", expect: { operator: "matches", pattern: "(" } }],
    };
    expect(testDefinitionSchema.safeParse(http([badRegex])).success).toBe(false);
    expect(testDefinitionSchema.safeParse(http([{ ...step, timeoutMs: 10 }])).success).toBe(false);
    expect(testDefinitionSchema.safeParse(http([{ ...step, unknownKey: 1 }])).success).toBe(false);
    const repeated = { name: "s", tests: [http([step]), http([step])] };
    expect(suiteDefinitionSchema.safeParse(repeated).success).toBe(false);
  });
});

describe("JSON and YAML", () => {
  it("round-trips a suite through both formats", () => {
    const suite = suiteDefinitionSchema.parse(SUITE);
    for (const format of ["json", "yaml"] as const) {
      const text = serializeDefinition(suite, format);
      expect(parseSuite(text, format)).toEqual(suite);
    }
    expect(serializeDefinition(suite, "yaml")).toContain("kind: browser");
  });

  it("reads a hand-written YAML test", () => {
    const test = parseTest(
      [
        "id: login",
        "name: Log in",
        "kind: http",
        "steps:",
        "  - method: GET",
        "    url: /ok",
        "    assertions:",
        "      - type: header",
        "        name: content-type",
        "        expect: { operator: contains, value: json }",
      ].join("\n"),
      "yaml",
    );
    expect(test.kind === "http" && test.steps[0]?.assertions[0]).toEqual({
      type: "header",
      name: "content-type",
      expect: { operator: "contains", value: "json" },
    });
  });

  it("answers bad documents with a typed error that says where", () => {
    const invalid = thrown(() =>
      parseTest('{"id":"a","name":"a","kind":"http","steps":[{"method":"GET"}]}', "json"),
    );
    expect(invalid).toBeInstanceOf(DefinitionParseError);
    expect((invalid as DefinitionParseError).issues[0]?.path).toBe("steps.0.url");
    expect(thrown(() => parseTest("{nope", "json"))).toBeInstanceOf(DefinitionParseError);
    expect(thrown(() => parseTest("a: [1\n", "yaml"))).toBeInstanceOf(DefinitionParseError);
    expect(thrown(() => parseTest("a: 1\na: 2\n", "yaml"))).toBeInstanceOf(DefinitionParseError);
    // An alias bomb is refused instead of expanded.
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = i === 0 ? "a" : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join("\n");
    const bombError = thrown(() => parseTest(bomb, "yaml"));
    expect(bombError).toBeInstanceOf(DefinitionParseError);
    expect((bombError as Error).message).toMatch(/^not valid YAML: .*alias/i);
  });
});

describe("templates", () => {
  it("renders variables with or without spaces and leaves other braces alone", () => {
    expect(renderTemplate("{{a}}-{{ b }}-{single}-{{ }}", { a: "1", b: "2" })).toBe(
      "1-2-{single}-{{ }}",
    );
    expect(renderJson({ "{{k}}": ["{{v}}", 3, null] }, { k: "key", v: "val" })).toEqual({
      key: ["val", 3, null],
    });
  });

  it("throws MissingVariableError naming the variable, and does not read the prototype", () => {
    const error = thrown(() => renderTemplate("x {{nope}}", {}));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect((error as MissingVariableError).variable).toBe("nope");
    expect(thrown(() => renderTemplate("{{toString}}", {}))).toBeInstanceOf(MissingVariableError);
  });
});

describe("masking", () => {
  it("masks secrets as they are, URL-encoded and JSON-escaped, longest first", () => {
    const mask = createMasker(["p@ss word", 'q"uote', "p@ss word and more", ""]);
    expect(mask.text("a p@ss word b")).toBe(`a ${MASK} b`);
    expect(mask.text("u=p%40ss%20word")).toBe(`u=${MASK}`);
    expect(mask.text('{"v":"q\\"uote"}')).toBe(`{"v":"${MASK}"}`);
    expect(mask.text("p@ss word and more!")).toBe(`${MASK}!`);
    expect(mask.json({ "p@ss word": ["p@ss word", 1] })).toEqual({ [MASK]: [MASK, 1] });
    expect(
      mask.headers({
        Authorization: "Bearer x",
        "X-Other": "p@ss word",
        "Set-Cookie": ["a=1", "b=2"],
      }),
    ).toEqual({
      authorization: MASK,
      "x-other": MASK,
      "set-cookie": MASK,
    });
  });
});

describe("JSON path", () => {
  const doc = { items: [{ id: 1 }, { id: 2 }], "a b": { c: true } };
  it("supports the documented subset", () => {
    expect(queryJsonPath(doc, "$.items[0].id")).toEqual([1]);
    expect(queryJsonPath(doc, "$.items[-1:]")).toEqual([[{ id: 2 }]].flat());
    expect(queryJsonPath(doc, "$..id")).toEqual([1, 2]);
    expect(queryJsonPath(doc, "$['a b'].c")).toEqual([true]);
    expect(queryJsonPath(doc, "$.items[*].id")).toEqual([1, 2]);
    expect(queryJsonPath("scalar", "$")).toEqual(["scalar"]);
  });
  it("refuses scripts and paths that do not start at the root", () => {
    expect(() => queryJsonPath(doc, "$.items[?(@.id > 1)]")).toThrow(/not supported/);
    expect(() => queryJsonPath(doc, "$.items[(@.length-1)]")).toThrow(/not supported/);
    expect(() => queryJsonPath(doc, "items")).toThrow(/starts with \$/);
  });
});
