// What the hosting tables store beyond plain columns, read the same way by the services (the
// answers) and the executor (the runs): the JSON columns' shapes, and step output kept to its
// newest characters.
import { z } from "zod";

/** hosting_runs.target: the version and size a run brings the workspace to. */
export const runTargetSchema = z.object({ version: z.string(), size: z.string() });

/** hosting_workspaces.outputs: what the provider reported (connection host, port, …). */
export const workspaceOutputsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

/** The newest `max` characters of a step's output (a log's end is what explains it). */
export function newestChars(text: string, max: number): string {
  return text.length > max ? text.slice(text.length - max) : text;
}
