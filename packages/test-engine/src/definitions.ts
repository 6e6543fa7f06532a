// JSON and YAML import/export of suites and tests, validated by the same zod schemas as the
// form. Input size and YAML aliases are bounded before parsing (alias bombs).
import { parseDocument, stringify } from "yaml";
import { type z } from "zod";
import { DefinitionParseError } from "./errors.ts";
import {
  suiteDefinitionSchema,
  testDefinitionSchema,
  type SuiteDefinition,
  type TestDefinition,
} from "./schema.ts";

/** A suite document larger than this is refused before parsing. */
export const MAX_DEFINITION_CHARS = 2 * 1024 * 1024;

export type DefinitionFormat = "json" | "yaml";

function parseText(text: string, format: DefinitionFormat): unknown {
  if (text.length > MAX_DEFINITION_CHARS) {
    throw new DefinitionParseError(`document larger than ${MAX_DEFINITION_CHARS} characters`, []);
  }
  if (format === "json") {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new DefinitionParseError(
        `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        [],
      );
    }
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings];
  if (document.errors.length > 0) {
    throw new DefinitionParseError(
      "not valid YAML",
      problems.map((p) => ({ path: `line ${p.linePos?.[0]?.line ?? "?"}`, message: p.message })),
    );
  }
  try {
    return document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new DefinitionParseError(
      `not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      [],
    );
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DefinitionParseError(
    "not a valid definition",
    parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(root)",
      message: issue.message,
    })),
  );
}

export function parseSuite(text: string, format: DefinitionFormat): SuiteDefinition {
  return validate(suiteDefinitionSchema, parseText(text, format));
}

export function parseTest(text: string, format: DefinitionFormat): TestDefinition {
  return validate(testDefinitionSchema, parseText(text, format));
}

/** Exports a validated definition; parsing the output gives the same definition back. */
export function serializeDefinition(
  definition: SuiteDefinition | TestDefinition,
  format: DefinitionFormat,
): string {
  return format === "json"
    ? `${JSON.stringify(definition, null, 2)}\n`
    : stringify(definition, { lineWidth: 0, aliasDuplicateObjects: false });
}
