// The module's JSON columns and the checks around them (zod, classic: server side). Read JSON
// is parsed, never trusted: a template's variables declaration, its output JSON Schema, a
// task's input. Shared by the services, the worker and the gateway routes.
import { definePromptTemplate, placeholdersOf, PromptTemplateError } from "@plinth/ai";
import { AppError } from "@plinth/core/errors";
import { z } from "zod";

export const PROVIDERS = ["offline", "openai"] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** One typed variable of a prompt template. */
export const templateVariableSchema = z.strictObject({
  name: z.string().regex(VARIABLE_NAME),
  type: z.enum(["string", "number", "boolean"]),
  description: z.string().max(200).optional(),
  required: z.boolean().default(true),
});
export const templateVariablesSchema = z.array(templateVariableSchema).max(32);
export type TemplateVariable = z.infer<typeof templateVariableSchema>;

/** A task's input: variable name → value (checked against the template when created). */
export const taskInputSchema = z.record(
  z.string().regex(VARIABLE_NAME),
  z.union([z.string().max(20_000), z.number(), z.boolean()]),
);
export type TaskInput = z.infer<typeof taskInputSchema>;

/** The zod object of a template's variables (what render() validates an input with). */
export function variablesObject(variables: readonly TemplateVariable[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const variable of variables) {
    const base =
      variable.type === "string"
        ? z.string().max(20_000)
        : variable.type === "number"
          ? z.coerce.number().finite()
          : z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
    shape[variable.name] = variable.required ? base : base.optional();
  }
  return z.strictObject(shape);
}

function templateRefusal(error: PromptTemplateError, field: string): AppError {
  return new AppError({
    code: "INVALID_INPUT",
    field,
    reason: error.issues.map((issue) => `${issue.variable} ${issue.message}`).join("; "),
  });
}

/** Checks placeholders ↔ declared variables; a refusal is a INVALID_INPUT on the template. */
export function checkPromptTemplate(template: string, variables: readonly TemplateVariable[]) {
  const names = variables.map((variable) => variable.name);
  if (new Set(names).size !== names.length) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "variables",
      reason: "Each variable needs its own name",
    });
  }
  try {
    return definePromptTemplate(template, variablesObject(variables));
  } catch (error) {
    if (error instanceof PromptTemplateError) throw templateRefusal(error, "promptTemplate");
    throw error;
  }
}

/** The task's input validated against the template (INVALID_INPUT on `input`). */
export function renderPrompt(
  template: string,
  variables: readonly TemplateVariable[],
  input: TaskInput,
): string {
  const prompt = checkPromptTemplate(template, variables);
  try {
    return prompt.render(input);
  } catch (error) {
    if (error instanceof PromptTemplateError) throw templateRefusal(error, "input");
    throw error;
  }
}

/** The placeholders a template text uses (the form proposes them as variables). */
export { placeholdersOf };

const jsonObject = z.record(z.string(), z.unknown());

/**
 * A template's output schema: a JSON Schema object zod can read (z.fromJSONSchema). Returns
 * the zod schema the result is validated with, or refuses with INVALID_INPUT.
 */
export function outputSchemaOf(value: unknown): z.ZodType {
  const parsed = jsonObject.safeParse(value);
  const invalid = (message: string) =>
    new AppError({ code: "INVALID_INPUT", field: "outputSchema", reason: message });
  if (!parsed.success) throw invalid("Enter a JSON Schema object");
  try {
    const schema = z.fromJSONSchema(parsed.data);
    z.toJSONSchema(schema);
    return schema;
  } catch {
    throw invalid("Not a JSON Schema this service can validate against");
  }
}

/** Parses the text of the form's output-schema field: JSON, then a JSON Schema object. */
export function parseOutputSchemaText(text: string | null | undefined): object | null {
  if (text === null || text === undefined || text.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError({ code: "INVALID_INPUT", field: "outputSchema", reason: "Not valid JSON" });
  }
  outputSchemaOf(value);
  return value as object;
}
