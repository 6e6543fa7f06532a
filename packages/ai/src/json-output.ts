// Structured output: the completion text read as JSON and checked against the request's schema.
// A mismatch is an OutputValidationError (retryable: asking the model again often helps).
import type { z } from "zod";
import { OutputValidationError, issueList } from "./errors.ts";

/** Models often wrap JSON in a Markdown fence even when asked not to; that much is forgiven. */
const FENCED = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/;

export function parseJsonOutput<TSchema extends z.ZodType>(
  schema: TSchema,
  text: string,
): z.output<TSchema> {
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new OutputValidationError("not_json", [], text);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new OutputValidationError("schema_mismatch", issueList(parsed.error.issues), text);
  }
  return parsed.data;
}
