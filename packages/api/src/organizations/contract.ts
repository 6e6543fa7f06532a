// Organization procedure inputs, shared with the web app's forms (client-safe: zod only).
import { z } from "zod";

export const organizationName = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters")
  .max(80, "Use at most 80 characters");

export const createOrganizationInput = z.object({ name: organizationName });
export const updateOrganizationInput = z.object({ name: organizationName });
export const deleteOrganizationInput = z.object({ confirmSlug: z.string() });
