// Projects: plain (scope, input) functions over the organization's RLS-bound data access;
// the procedures (trpc.ts) and gateway routes (http.ts) add who may call them and plan
// gating. Every change is audited in its own transaction.
import { changedFields, recordAudit, snapshot } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import { Prisma, type TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";

/** What the API shows of a project. */
export const projectView = {
  id: true,
  name: true,
  status: true,
  createdAt: true,
  archivedAt: true,
} as const satisfies Prisma.ProjectSelect;

async function findProject(tx: TransactionClient, organizationId: string, projectId: string) {
  const project = await tx.project.findFirst({ where: { id: projectId, organizationId } });
  if (!project) throw notFound("Project");
  return project;
}

function conflictOnName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError({ code: "CONFLICT", field: "name" });
  }
  throw error;
}

/** The organization's projects, newest first. */
export function listProjects(scope: OrgScope, input: { status: "ACTIVE" | "ARCHIVED" | "ALL" }) {
  return scope.db.client.project.findMany({
    where: input.status === "ALL" ? {} : { status: input.status },
    orderBy: { createdAt: "desc" },
    select: projectView,
  });
}

/** One project of the organization (NOT_FOUND for another organization's or none). */
export async function getProject(scope: OrgScope, input: { projectId: string }) {
  const project = await scope.db.client.project.findFirst({
    where: { id: input.projectId, organizationId: scope.organization.id },
    select: projectView,
  });
  if (!project) throw notFound("Project");
  return project;
}

/** Counts against the plan's `projects` limit (the procedure holds it: limit("projects")). */
export function createProject(scope: OrgScope, input: { name: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const project = await tx.project
      .create({
        data: { organizationId, name: input.name, createdById: actorUserId(scope.actor) },
        select: projectView,
      })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "project.created",
      targetType: "project",
      targetId: project.id,
      changes: snapshot({ name: project.name }, "to"),
    });
    return project;
  });
}

export function renameProject(scope: OrgScope, input: { projectId: string; name: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findProject(tx, organizationId, input.projectId);
    const project = await tx.project
      .update({ where: { id: before.id }, data: { name: input.name }, select: projectView })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "project.renamed",
      targetType: "project",
      targetId: project.id,
      changes: changedFields(before, { name: input.name }),
    });
    return project;
  });
}

/** Unarchiving counts against the plan's `projects` limit again. */
export function setProjectArchived(
  scope: OrgScope,
  input: { projectId: string; archived: boolean },
) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findProject(tx, organizationId, input.projectId);
    const next = input.archived
      ? { status: "ARCHIVED" as const, archivedAt: scope.clock.now() }
      : { status: "ACTIVE" as const, archivedAt: null };
    const project = await tx.project.update({
      where: { id: before.id },
      data: next,
      select: projectView,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: input.archived ? "project.archived" : "project.unarchived",
      targetType: "project",
      targetId: project.id,
      changes: changedFields(before, next),
    });
    return project;
  });
}

export function deleteProject(scope: OrgScope, input: { projectId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const project = await findProject(tx, organizationId, input.projectId);
    await tx.project.delete({ where: { id: project.id } });
    await recordAudit(tx, scope, {
      organizationId,
      action: "project.deleted",
      targetType: "project",
      targetId: project.id,
      changes: snapshot({ name: project.name, status: project.status }, "from"),
    });
    return { id: project.id };
  });
}
