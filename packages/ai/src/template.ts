// Prompt templates with typed variables: "Summarise {{text}} in {{words}} words" plus a zod
// object describing text and words. Defining one checks that the placeholders and the declared
// variables are the same set; rendering validates the input against the object (unknown and
// missing variables refused) and substitutes in one pass, so a value that itself contains
// "{{…}}" is inserted as text, never expanded.
import type { z } from "zod";
import { PromptTemplateError } from "./errors.ts";

/** `{{name}}` or `{{ name }}`; names are identifiers. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** Anything else between double braces is a typo, not text. */
const BRACES = /\{\{(.*?)\}\}/g;

type Shape = Record<string, z.ZodType>;

export interface PromptTemplate<TShape extends Shape> {
  readonly template: string;
  /** The variables, as a strict object: render refuses keys it does not declare. */
  readonly variables: z.ZodObject<TShape, z.core.$strict>;
  /** Placeholder names in order of first appearance. */
  readonly placeholders: readonly string[];
  render(input: z.input<z.ZodObject<TShape>>): string;
}

/** The placeholder names of a template, in order of first appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] ?? ""))];
}

function display(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function definePromptTemplate<TShape extends Shape>(
  template: string,
  variables: z.ZodObject<TShape>,
): PromptTemplate<TShape> {
  const placeholders = placeholdersOf(template);
  const declared = Object.keys(variables.shape);
  const issues = [
    ...Array.from(template.matchAll(BRACES))
      .filter((match) => !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(match[1] ?? ""))
      .map((match) => ({ variable: match[0], message: "is not a {{variable}} placeholder" })),
    ...placeholders
      .filter((name) => !declared.includes(name))
      .map((name) => ({ variable: name, message: "is used in the template but not declared" })),
    ...declared
      .filter((name) => !placeholders.includes(name))
      .map((name) => ({ variable: name, message: "is declared but not used in the template" })),
  ];
  if (issues.length) throw new PromptTemplateError("template_invalid", issues);
  const strict = variables.strict();
  return {
    template,
    variables: strict,
    placeholders,
    render(input) {
      const parsed = strict.safeParse(input);
      if (!parsed.success) {
        throw new PromptTemplateError(
          "template_variables_invalid",
          parsed.error.issues.flatMap((issue) =>
            issue.code === "unrecognized_keys"
              ? issue.keys.map((key) => ({
                  variable: key,
                  message: "is not a variable of this template",
                }))
              : [{ variable: issue.path.map(String).join("."), message: issue.message }],
          ),
        );
      }
      const values: Record<string, unknown> = parsed.data;
      return template.replace(PLACEHOLDER, (_match, name: string) => display(values[name]));
    },
  };
}
