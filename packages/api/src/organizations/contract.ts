// Organization procedure inputs, shared with the web app's forms (client-safe: zod only).
import * as z from "zod/mini";
import "../zod-mini.ts";

export const organizationName = z
  .string()
  .check(
    z.trim(),
    z.minLength(2, "Use at least 2 characters"),
    z.maxLength(80, "Use at most 80 characters"),
  );

export const createOrganizationInput = z.object({ name: organizationName });
export const updateOrganizationInput = z.object({ name: organizationName });
export const deleteOrganizationInput = z.object({ confirmSlug: z.string() });
