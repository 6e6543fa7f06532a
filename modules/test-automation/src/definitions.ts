// Definitions as the module stores them: the engine's documents (testDefinitionSchema), with
// the row id as the test's `id`. Parse errors become INVALID_DEFINITION (422), one line each.
import { createHash } from "node:crypto";
import { AppError } from "@plinth/core/errors";
import {
  DefinitionParseError,
  MAX_DEFINITION_CHARS,
  parseSuite,
  parseTest,
  serializeDefinition,
  type DefinitionFormat,
  type SuiteDefinition,
  type TestDefinition,
} from "@plinth/test-engine";
import { parse as parseYaml } from "yaml";

export function invalidDefinition(error: unknown): never {
  if (error instanceof DefinitionParseError) {
    const issues = error.issues.length
      ? error.issues.slice(0, 20).map((issue) => `${issue.path}: ${issue.message}`)
      : [error.message];
    throw new AppError({ code: "INVALID_DEFINITION", issues });
  }
  throw error;
}

function readDocument(text: string, format: DefinitionFormat): unknown {
  if (text.length > MAX_DEFINITION_CHARS) {
    throw new AppError({ code: "INVALID_DEFINITION", issues: ["document too large"] });
  }
  try {
    return format === "json"
      ? (JSON.parse(text) as unknown)
      : (parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }) as unknown);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new AppError({
      code: "INVALID_DEFINITION",
      issues: [`not valid ${format.toUpperCase()}: ${message ?? ""}`],
    });
  }
}

/**
 * A test document as text, validated by the engine. Its `id` may be left out (a new test):
 * the service stores the row's id in it.
 */
export function parseTestText(text: string, format: DefinitionFormat, id: string): TestDefinition {
  const raw = readDocument(text, format);
  const document =
    typeof raw === "object" && raw !== null && !Array.isArray(raw) ? { ...raw, id } : raw;
  try {
    return parseTest(JSON.stringify(document), "json");
  } catch (error) {
    return invalidDefinition(error);
  }
}

/** A suite document (`{ name, tests }`); test ids may be left out (numbered in order). */
export function parseSuiteText(text: string, format: DefinitionFormat): SuiteDefinition {
  const raw = readDocument(text, format);
  let document = raw;
  if (typeof raw === "object" && raw !== null && "tests" in raw && Array.isArray(raw.tests)) {
    const tests: unknown[] = raw.tests;
    document = {
      ...raw,
      tests: tests.map((test, index) =>
        typeof test === "object" && test !== null && !("id" in test)
          ? { ...test, id: `t${index + 1}` }
          : test,
      ),
    };
  }
  try {
    return parseSuite(JSON.stringify(document), "json");
  } catch (error) {
    return invalidDefinition(error);
  }
}

export function serialize(definition: SuiteDefinition | TestDefinition, format: DefinitionFormat) {
  return serializeDefinition(definition, format);
}

/** The vault name of an environment's secret (vault names are lowercase; variable names not). */
export function vaultSecretName(environmentId: string, name: string): string {
  const digest = createHash("sha256").update(name).digest("hex").slice(0, 32);
  return `tests.env.${environmentId}.${digest}`;
}
