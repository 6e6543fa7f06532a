// API key management inputs (client-safe: zod mini only). The scopes a key may hold are the
// product's (core's and the enabled modules' apiScopes), checked by the service.
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

export const apiKeyName = text(100, z.trim(), z.minLength(1, "Enter a name"));
export const apiScopeName = text(
  100,
  z.regex(/^[a-z][a-z0-9.-]*:[a-z][a-z0-9.-]*$/, "Not a scope"),
);

export const createApiKeyInput = z.object({
  name: apiKeyName,
  scopes: z.array(apiScopeName).check(z.minLength(1, "Choose at least one scope"), z.maxLength(50)),
  /** Days until the key stops working; null: never. */
  expiresInDays: z._default(z.nullable(z.int().check(z.minimum(1), z.maximum(730))), null),
  environment: z._default(z.enum(["live", "test"]), "live"),
});
export const apiKeyInput = z.object({ apiKeyId: cuid });
export const rotateApiKeyInput = z.object({
  apiKeyId: cuid,
  /** How long the old key keeps working (0: it stops now). */
  graceHours: z._default(z.int().check(z.minimum(0), z.maximum(720)), 24),
});
