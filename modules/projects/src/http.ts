// The projects module's public API routes (apps/gateway serves them under /api/v1): the same
// services as the tRPC router, with the API key's organization scope. Schemas are classic zod
// (the gateway derives the OpenAPI document from them), bounded by the same input rule as the
// contract (@plinth/core/inputs' WELL_FORMED_TEXT).
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { holdLimit } from "@plinth/billing/gating";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import * as projects from "./service.ts";

const project = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["ACTIVE", "ARCHIVED"]),
  createdAt: z.date().transform((date) => date.toISOString()),
  archivedAt: z
    .date()
    .nullable()
    .transform((date) => date?.toISOString() ?? null),
});

const projectId = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "GET",
    path: "/projects",
    summary: "List the organization's projects, newest first",
    apiScope: "projects:read",
    write: false,
    successStatus: 200,
    query: z.object({
      status: z.enum(["ACTIVE", "ARCHIVED", "ALL"]).default("ACTIVE"),
    }),
    response: z.object({ data: z.array(project) }),
    handle: async (scope, { query }) => ({
      data: await projects.listProjects(scope, { status: query.status }),
    }),
  }),
  defineHttpRoute({
    method: "POST",
    path: "/projects",
    summary: "Create a project (counts against the plan's projects limit)",
    apiScope: "projects:write",
    write: true,
    successStatus: 201,
    body: z.object({
      name: z.string().check(WELL_FORMED_TEXT).max(80).trim().min(1, "Enter a project name"),
    }),
    response: project,
    handle: (scope, { body }) =>
      holdLimit(scope, "projects", 1, () => projects.createProject(scope, body)),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/projects/{id}",
    summary: "One project of the organization",
    apiScope: "projects:read",
    write: false,
    successStatus: 200,
    params: z.object({ id: projectId }),
    response: project,
    handle: (scope, { params }) => projects.getProject(scope, { projectId: params.id }),
  }),
];
