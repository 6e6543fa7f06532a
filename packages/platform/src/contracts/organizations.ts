// Organization procedure inputs (client-safe).
import { z } from "zod";
import { organizationId, text } from "@plinth/core/inputs";

const name = text(80).trim().min(2);

/** Every organization-scoped procedure's input starts with this. */
export const organizationInput = z.object({ organizationId });
export const createOrganizationInput = z.object({ name });
export const updateOrganizationInput = z.object({ name });
export const deleteOrganizationInput = z.object({ confirmSlug: text(64) });
