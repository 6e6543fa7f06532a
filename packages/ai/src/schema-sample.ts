// A deterministic value for a zod schema, for the offline provider's JSON answers. The schema
// is read through zod's own JSON Schema export (public and stable, unlike zod's internals);
// choices come from the caller's seeded random source, so the same prompt gives the same value.
// The value is checked against the zod schema at the end: what JSON Schema cannot express
// (refinements, most regex patterns) is reported, not silently wrong.
import { z } from "zod";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonSchema = Record<string, unknown>;

const WORDS = [
  "alpha",
  "bright",
  "clear",
  "delta",
  "early",
  "focus",
  "green",
  "harbor",
  "insight",
  "journey",
  "kernel",
  "launch",
  "metric",
  "north",
  "orbit",
  "pilot",
  "quartz",
  "signal",
  "steady",
  "vector",
];

export class UnsupportedSchemaError extends Error {
  override name = "UnsupportedSchemaError";
}

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const numberOr = (value: unknown, fallback: number) =>
  typeof value === "number" ? value : fallback;

class Sampler {
  constructor(
    private readonly root: JsonSchema,
    private readonly random: () => number,
  ) {}

  private pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new UnsupportedSchemaError("empty choice");
    return item;
  }

  private words(count: number): string {
    return Array.from({ length: count }, () => this.pick(WORDS)).join(" ");
  }

  private resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    const defs = this.root.$defs;
    const target =
      match?.[1] && isSchema(defs) ? defs[match[1]] : ref === "#" ? this.root : undefined;
    if (!isSchema(target)) throw new UnsupportedSchemaError(`unresolvable $ref ${ref}`);
    return target;
  }

  value(input: JsonSchema, name: string, depth: number): JsonValue {
    if (depth > 8) throw new UnsupportedSchemaError("schema nests deeper than 8 levels");
    const schema = this.resolve(input);
    if ("const" in schema) return schema.const as JsonValue;
    if (Array.isArray(schema.enum)) return this.pick(schema.enum as JsonValue[]);
    if (Array.isArray(schema.allOf) && isSchema(schema.allOf[0]))
      return this.value(schema.allOf[0], name, depth + 1);
    const options = schema.anyOf ?? schema.oneOf;
    if (Array.isArray(options)) {
      // Prefer a non-null branch: a demo answer with nulls everywhere shows nothing.
      const branches = options.filter(isSchema);
      const meaningful = branches.filter((branch) => branch.type !== "null");
      return this.value(this.pick(meaningful.length ? meaningful : branches), name, depth + 1);
    }
    const types: unknown = schema.type;
    const type = Array.isArray(types)
      ? this.pick<unknown>(types.filter((t) => t !== "null"))
      : types;
    switch (type) {
      case "string":
        return this.string(schema, name);
      case "number":
      case "integer":
        return this.number(schema, type === "integer");
      case "boolean":
        return this.random() < 0.5;
      case "null":
        return null;
      case "array":
        return this.array(schema, name, depth);
      case "object":
        return this.object(schema, depth);
      case undefined:
        // `{}` (z.unknown(), z.any()): any JSON value will do.
        return this.words(2);
      default:
        throw new UnsupportedSchemaError(`unsupported type ${String(type)}`);
    }
  }

  private string(schema: JsonSchema, name: string): string {
    const id = Math.floor(this.random() * 0xffffffff)
      .toString(16)
      .padStart(8, "0");
    switch (schema.format) {
      case "email":
        return `${this.pick(WORDS)}.${id.slice(0, 4)}@example.com`;
      case "uri":
      case "url":
        return `https://example.com/${this.pick(WORDS)}/${id}`;
      case "uuid":
        return `${id}-${id.slice(0, 4)}-4${id.slice(1, 4)}-8${id.slice(5, 8)}-${id}${id.slice(0, 4)}`;
      case "date-time":
        return new Date(Date.UTC(2026, 0, 1) + Math.floor(this.random() * 365 * 86_400) * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z");
      case "date":
        return new Date(Date.UTC(2026, 0, 1) + Math.floor(this.random() * 365) * 86_400_000)
          .toISOString()
          .slice(0, 10);
      case undefined:
        break;
      default:
        throw new UnsupportedSchemaError(`unsupported string format ${String(schema.format)}`);
    }
    if (typeof schema.pattern === "string")
      throw new UnsupportedSchemaError(`string pattern ${schema.pattern} cannot be generated`);
    const min = numberOr(schema.minLength, 0);
    const max = numberOr(schema.maxLength, Number.POSITIVE_INFINITY);
    let text = `${name.replace(/[_-]+/g, " ").trim() || "value"} ${this.words(2)}`;
    while (text.length < min) text += ` ${this.pick(WORDS)}`;
    return text.slice(0, max).trimEnd().padEnd(Math.min(min, max), "x");
  }

  private number(schema: JsonSchema, integer: boolean): number {
    const exclusiveMin = typeof schema.exclusiveMinimum === "number";
    const exclusiveMax = typeof schema.exclusiveMaximum === "number";
    let min = numberOr(schema.minimum, numberOr(schema.exclusiveMinimum, 0));
    let max = numberOr(schema.maximum, numberOr(schema.exclusiveMaximum, min + 100));
    if (integer) {
      min = exclusiveMin ? Math.floor(min) + 1 : Math.ceil(min);
      max = exclusiveMax ? Math.ceil(max) - 1 : Math.floor(max);
      if (max < min) throw new UnsupportedSchemaError("no integer in range");
      return min + Math.floor(this.random() * (max - min + 1));
    }
    const value = min + this.random() * (max - min);
    const rounded = Math.round(value * 100) / 100;
    return rounded > min && rounded < max ? rounded : (min + max) / 2;
  }

  private array(schema: JsonSchema, name: string, depth: number): JsonValue[] {
    if (Array.isArray(schema.prefixItems)) {
      return schema.prefixItems
        .filter(isSchema)
        .map((item, i) => this.value(item, `${name}${i}`, depth + 1));
    }
    const min = numberOr(schema.minItems, 1);
    const max = numberOr(schema.maxItems, Math.max(min, 3));
    const count = min + Math.floor(this.random() * (Math.min(max, min + 3) - min + 1));
    const items = isSchema(schema.items) ? schema.items : {};
    return Array.from({ length: count }, () =>
      this.value(items, name.replace(/s$/, ""), depth + 1),
    );
  }

  private object(schema: JsonSchema, depth: number): { [key: string]: JsonValue } {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const result: { [key: string]: JsonValue } = {};
    // Every declared property, optional ones too: the demo shows the whole shape.
    for (const [key, property] of Object.entries(properties)) {
      if (isSchema(property)) result[key] = this.value(property, key, depth + 1);
    }
    if (Object.keys(properties).length === 0 && isSchema(schema.additionalProperties)) {
      result[this.pick(WORDS)] = this.value(schema.additionalProperties, "value", depth + 1);
    }
    return result;
  }
}

/**
 * A JSON value that `schema` accepts, chosen with `random` (the same sequence gives the same
 * value). Throws UnsupportedSchemaError for shapes it cannot satisfy.
 */
export function sampleFromSchema(schema: z.ZodType, random: () => number): JsonValue {
  let jsonSchema: JsonSchema;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" });
  } catch (error) {
    throw new UnsupportedSchemaError(
      `the schema has no JSON form (${error instanceof Error ? error.message : "unknown"})`,
    );
  }
  const value = new Sampler(jsonSchema, random).value(jsonSchema, "", 0);
  const check = schema.safeParse(value);
  if (!check.success) {
    throw new UnsupportedSchemaError(
      `the generated value does not satisfy the schema: ${check.error.issues
        .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
        .join("; ")}`,
    );
  }
  return value;
}
