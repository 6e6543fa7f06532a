// Projects: the test-automation product's first resource. Plain functions over a tenant
// transaction; the router adds access rules and plan gating.
import { Prisma, type TransactionClient } from "@plinth/db";
import { AppError, notFound } from "../errors.ts";
import { changedFields, recordAudit, snapshot } from "../audit.ts";
import type { Context } from "../trpc.ts";

type AuditContext = Pick<Context, "user" | "ipAddress" | "requestId">;

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

export async function createProject(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organizationId: string; name: string },
) {
  const project = await tx.project
    .create({
      data: {
        organizationId: input.organizationId,
        name: input.name,
        createdById: ctx.user?.id ?? null,
      },
      select: projectView,
    })
    .catch(conflictOnName);
  await recordAudit(tx, ctx, {
    organizationId: input.organizationId,
    action: "project.created",
    targetType: "project",
    targetId: project.id,
    changes: snapshot({ name: project.name }, "to"),
  });
  return project;
}

export async function renameProject(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organizationId: string; projectId: string; name: string },
) {
  const before = await findProject(tx, input.organizationId, input.projectId);
  const project = await tx.project
    .update({ where: { id: before.id }, data: { name: input.name }, select: projectView })
    .catch(conflictOnName);
  await recordAudit(tx, ctx, {
    organizationId: input.organizationId,
    action: "project.renamed",
    targetType: "project",
    targetId: project.id,
    changes: changedFields(before, { name: input.name }),
  });
  return project;
}

export async function setProjectArchived(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organizationId: string; projectId: string; archived: boolean; now: Date },
) {
  const before = await findProject(tx, input.organizationId, input.projectId);
  const next = input.archived
    ? { status: "ARCHIVED" as const, archivedAt: input.now }
    : { status: "ACTIVE" as const, archivedAt: null };
  const project = await tx.project.update({
    where: { id: before.id },
    data: next,
    select: projectView,
  });
  await recordAudit(tx, ctx, {
    organizationId: input.organizationId,
    action: input.archived ? "project.archived" : "project.unarchived",
    targetType: "project",
    targetId: project.id,
    changes: changedFields(before, next),
  });
  return project;
}

export async function deleteProject(
  tx: TransactionClient,
  ctx: AuditContext,
  input: { organizationId: string; projectId: string },
) {
  const project = await findProject(tx, input.organizationId, input.projectId);
  await tx.project.delete({ where: { id: project.id } });
  await recordAudit(tx, ctx, {
    organizationId: input.organizationId,
    action: "project.deleted",
    targetType: "project",
    targetId: project.id,
    changes: snapshot({ name: project.name, status: project.status }, "from"),
  });
  return { id: project.id };
}
