// The project procedures' inputs: the router validates with these, and the web app's forms
// validate with the very same schemas before sending (client-safe: zod only).
import * as z from "zod/mini";
import "../zod-mini.ts";

export const projectName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "Enter a project name"),
    z.maxLength(80, "Use at most 80 characters"),
  );
export const projectId = z.string().check(z.minLength(1), z.maxLength(64));

export const listProjectsInput = z.object({
  status: z._default(z.enum(["ACTIVE", "ARCHIVED", "ALL"]), "ACTIVE"),
});
export const createProjectInput = z.object({ name: projectName });
export const renameProjectInput = z.object({ projectId, name: projectName });
export const projectInput = z.object({ projectId });
