// The project procedures' inputs: the router validates with these, and the web app's forms
// validate with the very same schemas before sending (client-safe: zod only).
import { z } from "zod";

export const projectName = z
  .string()
  .trim()
  .min(1, "Enter a project name")
  .max(80, "Use at most 80 characters");
export const projectId = z.string().min(1).max(64);

export const listProjectsInput = z.object({
  status: z.enum(["ACTIVE", "ARCHIVED", "ALL"]).default("ACTIVE"),
});
export const createProjectInput = z.object({ name: projectName });
export const renameProjectInput = z.object({ projectId, name: projectName });
export const projectInput = z.object({ projectId });
