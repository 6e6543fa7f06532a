// JSON path queries through jsonpath-plus (10.x: the last line that runs on Node 20) with
// script evaluation switched off: paths are written by tenants and run in a shared worker,
// and the filter/script evaluator is where that library's security advisories were. So
// `$.a.b`, `$['a b']`, `$.items[0]`, `$.items[-1:]`, `$..id`, `$.*`, unions and slices work;
// `?()` filters and `()` scripts are refused with a clear error.
import { JSONPath } from "jsonpath-plus";
import { TestEngineError } from "./errors.ts";
import type { JsonValue } from "./schema.ts";

export class JsonPathError extends TestEngineError {
  override name = "JsonPathError";
}

export function queryJsonPath(document: JsonValue, path: string): JsonValue[] {
  if (!path.startsWith("$")) throw new JsonPathError(`a JSON path starts with $: "${path}"`);
  if (document === null || typeof document !== "object") {
    // jsonpath-plus only walks objects and arrays; the root of a scalar document is itself.
    return path === "$" ? [document] : [];
  }
  try {
    const found: unknown = JSONPath({ path, json: document, wrap: true, eval: false });
    return Array.isArray(found) ? (found as JsonValue[]) : [];
  } catch (error) {
    throw new JsonPathError(
      `JSON path "${path}" is not supported: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
