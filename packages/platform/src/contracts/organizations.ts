// Organization procedure inputs, shared with the web app's forms (client-safe: zod mini only).
import * as z from "zod/mini";
import { organizationId, text } from "@plinth/core/inputs";

export const organizationName = text(80, z.trim(), z.minLength(2, "Use at least 2 characters"));

/** Every organization-scoped procedure's input starts with this. */
export const organizationInput = z.object({ organizationId });
export const createOrganizationInput = z.object({ name: organizationName });
export const updateOrganizationInput = z.object({ name: organizationName });
export const deleteOrganizationInput = z.object({ confirmSlug: text(64) });
