// The project procedures' inputs: the router validates with these, and the web app's forms
// validate with the very same schemas before sending (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

export const projectName = text(80, z.trim(), z.minLength(1, "Enter a project name"));
export const projectId = cuid;

export const listProjectsInput = z.object({
  status: z._default(z.enum(["ACTIVE", "ARCHIVED", "ALL"]), "ACTIVE"),
});
export const createProjectInput = z.object({ name: projectName });
export const renameProjectInput = z.object({ projectId, name: projectName });
export const projectInput = z.object({ projectId });
