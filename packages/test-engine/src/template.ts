// `{{name}}` rendering. One pass, no expressions, no helpers: a placeholder names a variable
// and is replaced by its value; an unknown name is a typed MissingVariableError.
import { MissingVariableError } from "./errors.ts";
import type { JsonValue } from "./schema.ts";

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export type Variables = Readonly<Record<string, string>>;

export function renderTemplate(template: string, variables: Variables): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) throw new MissingVariableError(name);
    return value;
  });
}

/** Renders every string (keys included) of a JSON value. */
export function renderJson(value: JsonValue, variables: Variables): JsonValue {
  if (typeof value === "string") return renderTemplate(value, variables);
  if (Array.isArray(value)) return value.map((item) => renderJson(item, variables));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        renderTemplate(key, variables),
        renderJson(item, variables),
      ]),
    );
  }
  return value;
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
}
