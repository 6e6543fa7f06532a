// Workspaces: (scope, input) functions over the organization's RLS-bound data access. A
// request writes the workspace, its HostingRun and the core run (with its run.execute job) in
// one transaction and answers at once (the worker provisions: ./executor.ts). The workspace's
// lock is `activeRunId`, taken by a conditional update (only when no run holds it), so one
// workspace never has two runs at once: a second change while one runs is refused (412
// INVALID_STATE).
// Every change is audited (who, what, before/after, run id).
import { changedFields, recordAudit, snapshot, type AuditSource } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import { checkLimit, requireFeature } from "@plinth/billing/gating";
import type { HostingRunAction, Prisma, TransactionClient } from "@plinth/db";
import { createRun } from "@plinth/jobs";
import type { OrgScope } from "@plinth/platform";
import { itemsChangeView, previewWorkspaceItems, syncWorkspaceItems } from "./billing.ts";
import {
  defaultPlanKey,
  findApp,
  findBundle,
  findSize,
  HOSTING_REGIONS,
  itemKeyOf,
  type HostingApp,
} from "./catalogue.ts";
import { hostingEnv } from "./env.ts";
import { HOSTING_RUN_KIND } from "./jobs.ts";
import { newestChars, runTargetSchema, workspaceOutputsSchema } from "./stored.ts";

/** What the API shows of a workspace (no secret: the password stays in the vault). */
export const workspaceView = {
  id: true,
  name: true,
  app: true,
  version: true,
  size: true,
  region: true,
  provider: true,
  plan: true,
  bundle: true,
  state: true,
  outputs: true,
  failedStep: true,
  error: true,
  createdAt: true,
  readyAt: true,
  destroyedAt: true,
  activeRunId: true,
} as const satisfies Prisma.HostingWorkspaceSelect;

const runView = {
  id: true,
  runId: true,
  action: true,
  target: true,
  failedStep: true,
  createdAt: true,
  finishedAt: true,
  run: { select: { status: true, progress: true, error: true } },
} as const satisfies Prisma.HostingRunSelect;

type WorkspaceRow = Prisma.HostingWorkspaceGetPayload<{ select: typeof workspaceView }>;

function present(row: WorkspaceRow, latestRunId: string | null) {
  const { activeRunId, outputs, ...rest } = row;
  return {
    ...rest,
    outputs: workspaceOutputsSchema.parse(outputs ?? {}),
    busy: activeRunId !== null,
    latestRunId,
  };
}

function invalid(field: string, reason: string): never {
  throw new AppError({ code: "INVALID_INPUT", field, reason });
}

/** The catalogue's app, version and size (INVALID_INPUT names the field that is not in it). */
function checkCatalogue(
  scope: OrgScope,
  input: { app: string; version: string; size: string },
): HostingApp {
  const app = findApp(input.app);
  if (!app) invalid("app", "Not an app of the catalogue");
  if (!app.versions.includes(input.version)) invalid("version", `${app.name} has no such version`);
  if (!findSize(app, input.size)) invalid("size", `${app.name} has no such size`);
  if (input.size === "large") requireFeature(scope, "hosting.largeSizes");
  return app;
}

/**
 * The app plan or bundle a workspace is billed as: a named bundle must hold the app; a named
 * plan must allow the size; none named: the first plan of the app that allows it.
 */
function choosePlan(
  app: HostingApp,
  input: { size: string; plan?: string | undefined; bundle?: string | undefined },
): { plan: string | null; bundle: string | null } {
  if (input.bundle !== undefined) {
    if (input.plan !== undefined) invalid("bundle", "Choose a plan or a bundle, not both");
    const bundle = findBundle(input.bundle);
    if (!bundle) invalid("bundle", "Not a bundle of the catalogue");
    if (!bundle.apps.includes(app.key)) invalid("bundle", `${bundle.name} has no ${app.name}`);
    return { plan: null, bundle: bundle.key };
  }
  if (input.plan !== undefined) {
    const plan = app.plans[input.plan];
    if (!plan) invalid("plan", `${app.name} has no such plan`);
    if (!plan.sizes.includes(input.size)) invalid("size", `${plan.name} has no such size`);
    return { plan: input.plan, bundle: null };
  }
  const plan = defaultPlanKey(app, input.size);
  if (!plan) invalid("size", `No plan of ${app.name} has this size`);
  return { plan, bundle: null };
}

/** The request's fields the service checks (the form's and the API's). */
export interface WorkspaceRequest {
  name: string;
  app: string;
  version: string;
  size: string;
  region: string;
  plan?: string | undefined;
  bundle?: string | undefined;
}

function checkRequest(scope: OrgScope, input: Omit<WorkspaceRequest, "name">) {
  const app = checkCatalogue(scope, input);
  if (!(HOSTING_REGIONS as readonly string[]).includes(input.region)) {
    invalid("region", "Not a region of the catalogue");
  }
  return { app, choice: choosePlan(app, input) };
}

/**
 * What requesting this workspace would add to the subscription now (the items and the
 * proration, from the provider; nothing changes), or why workspaces are not charged as items.
 */
export async function previewWorkspaceRequest(
  scope: OrgScope,
  input: Omit<WorkspaceRequest, "name">,
) {
  const { app, choice } = checkRequest(scope, input);
  const itemKey = itemKeyOf(app, choice) ?? null;
  const item = itemKey ? scope.product.catalog.getPlan(itemKey) : undefined;
  const preview = await previewWorkspaceItems(scope, {
    add: { app: app.key, size: input.size, ...choice },
  });
  return {
    ...choice,
    item: item ? { key: item.key, name: item.name, monthCents: item.prices.month ?? null } : null,
    unbilledReason: preview.unbilledReason,
    change: itemsChangeView(preview.change),
  };
}

/** Who a run is for: the organization, and the user who asked (null: a key or the system). */
interface RunOwner {
  organizationId: string;
  createdById: string | null;
}

const owner = (scope: OrgScope): RunOwner => ({
  organizationId: scope.organization.id,
  createdById: actorUserId(scope.actor),
});

/** The state a workspace shows from the request until the worker picks the run up. */
const STARTING_STATE = {
  PROVISION: "REQUESTED",
  UPDATE: "UPDATING",
  DESTROY: "DESTROYING",
} as const satisfies Record<HostingRunAction, string>;

async function startRun(
  tx: TransactionClient,
  { organizationId, createdById }: RunOwner,
  workspace: { id: string },
  action: HostingRunAction,
  target: { version: string; size: string },
) {
  const run = await createRun(tx, {
    organizationId,
    kind: HOSTING_RUN_KIND,
    input: {},
    createdById,
  });
  const hostingRun = await tx.hostingRun.create({
    data: { organizationId, workspaceId: workspace.id, runId: run.id, action, target, createdById },
    select: { id: true },
  });
  // The lock: only a workspace no run holds takes this one.
  const locked = await tx.hostingWorkspace.updateMany({
    where: { id: workspace.id, organizationId, activeRunId: null },
    data: { activeRunId: hostingRun.id, state: STARTING_STATE[action] },
  });
  if (locked.count === 0) throw busy();
  return run.id;
}

const busy = () =>
  new AppError({ code: "INVALID_STATE", detail: "A run of this workspace is in progress" });

/** Requests a workspace: 202-style, answers the workspace (REQUESTED) and its run's id. */
export async function requestWorkspace(scope: OrgScope, input: WorkspaceRequest) {
  const { app, choice } = checkRequest(scope, input);
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    // The limit's lock also serialises the name check of concurrent requests.
    await checkLimit(scope, tx, "workspaces", 1);
    const taken = await tx.hostingWorkspace.count({
      where: { organizationId, name: input.name, state: { not: "DESTROYED" } },
    });
    if (taken > 0) throw new AppError({ code: "CONFLICT", field: "name" });
    const created = await tx.hostingWorkspace.create({
      data: {
        organizationId,
        name: input.name,
        app: app.key,
        version: input.version,
        size: input.size,
        region: input.region,
        ...choice,
        provider: hostingEnv().HOSTING_PROVIDER,
        createdById: actorUserId(scope.actor),
      },
      select: { id: true },
    });
    const runId = await startRun(tx, owner(scope), created, "PROVISION", {
      version: input.version,
      size: input.size,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "workspace.requested",
      targetType: "workspace",
      targetId: created.id,
      changes: {
        ...snapshot(
          {
            name: input.name,
            app: app.key,
            version: input.version,
            size: input.size,
            region: input.region,
            plan: choice.plan,
            bundle: choice.bundle,
          },
          "to",
        ),
        runId: { to: runId },
      },
    });
    // The items follow before the commit: a provider refusal refuses the request.
    const billing = await syncWorkspaceItems(scope, tx);
    const workspace = await readChanged(tx, created.id);
    return { workspace: present(workspace, runId), runId, billing: itemsChangeView(billing) };
  });
}

/** The organization's workspaces, newest first (destroyed ones on request). */
export async function listWorkspaces(scope: OrgScope, input: { includeDestroyed: boolean }) {
  const rows = await scope.db.client.hostingWorkspace.findMany({
    where: input.includeDestroyed ? {} : { state: { not: "DESTROYED" } },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      ...workspaceView,
      runs: { orderBy: { createdAt: "desc" }, take: 1, select: { runId: true } },
    },
  });
  return rows.map(({ runs, ...row }) => present(row, runs[0]?.runId ?? null));
}

/** One workspace with its latest runs and their steps' output (the newest characters). */
export async function getWorkspace(
  scope: OrgScope,
  input: { workspaceId: string; outputChars?: number },
) {
  const row = await scope.db.client.hostingWorkspace.findFirst({
    where: { id: input.workspaceId, organizationId: scope.organization.id },
    select: {
      ...workspaceView,
      runs: {
        orderBy: { createdAt: "desc" },
        take: 10,
        select: {
          ...runView,
          steps: {
            orderBy: { seq: "asc" },
            select: {
              name: true,
              status: true,
              output: true,
              attempts: true,
              startedAt: true,
              finishedAt: true,
            },
          },
        },
      },
    },
  });
  if (!row) throw notFound("Workspace");
  const max = input.outputChars ?? 20_000;
  const { runs, ...workspace } = row;
  return {
    ...present(workspace, runs[0]?.runId ?? null),
    runs: runs.map(({ run, target, steps, ...hostingRun }) => ({
      ...hostingRun,
      target: runTargetSchema.parse(target),
      status: run.status,
      progress: run.progress,
      error: run.error,
      steps: steps.map((step) => ({
        ...step,
        output: newestChars(step.output, max),
      })),
    })),
  };
}

/**
 * The workspace, its row locked for the transaction (FOR UPDATE): concurrent changes of one
 * workspace queue here, and the second sees the first's lock (activeRunId) and is refused.
 * (Without it, both would insert a run referencing the row, then deadlock updating it.)
 */
async function findWorkspace(tx: TransactionClient, organizationId: string, workspaceId: string) {
  await tx.$queryRaw`SELECT id FROM hosting_workspaces WHERE id = ${workspaceId} AND organization_id = ${organizationId} FOR UPDATE`;
  const workspace = await tx.hostingWorkspace.findFirst({
    where: { id: workspaceId, organizationId },
    select: workspaceView,
  });
  if (!workspace) throw notFound("Workspace");
  return workspace;
}

/** The workspace as the answer shows it after a change (inside the change's transaction). */
function readChanged(tx: TransactionClient, workspaceId: string) {
  return tx.hostingWorkspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: workspaceView,
  });
}

/** Resizes and/or upgrades a ready (or failed) workspace: an UPDATE run. */
export function updateWorkspace(
  scope: OrgScope,
  input: { workspaceId: string; size?: string | undefined; version?: string | undefined },
) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findWorkspace(tx, organizationId, input.workspaceId);
    if (before.activeRunId) throw busy();
    if (before.state !== "READY" && before.state !== "FAILED") {
      throw new AppError({
        code: "INVALID_STATE",
        detail: `A ${before.state.toLowerCase()} workspace cannot change`,
      });
    }
    const target = { version: input.version ?? before.version, size: input.size ?? before.size };
    const app = checkCatalogue(scope, { app: before.app, ...target });
    if (
      target.version === before.version &&
      target.size === before.size &&
      before.state === "READY"
    ) {
      invalid("size", "Nothing to change");
    }
    // A size its plan does not allow moves it to the first plan that does (billed from now).
    const current = before.plan ?? defaultPlanKey(app, before.size) ?? null;
    const plan =
      before.bundle !== null ||
      (current !== null && app.plans[current]?.sizes.includes(target.size) === true)
        ? before.plan
        : (defaultPlanKey(app, target.size) ?? before.plan);
    const runId = await startRun(tx, owner(scope), before, "UPDATE", target);
    if (plan !== before.plan) {
      await tx.hostingWorkspace.update({ where: { id: before.id }, data: { plan } });
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: "workspace.update_requested",
      targetType: "workspace",
      targetId: before.id,
      changes: {
        ...changedFields(
          { version: before.version, size: before.size, plan: before.plan },
          {
            ...target,
            plan,
          },
        ),
        runId: { to: runId },
      },
    });
    // A plan moved, or a failed provision (not billed) requested anew: the items follow.
    const countsAgain = before.state === "FAILED" && before.readyAt === null;
    const billing =
      plan !== before.plan || countsAgain ? await syncWorkspaceItems(scope, tx) : null;
    const workspace = await readChanged(tx, before.id);
    return { workspace: present(workspace, runId), runId, billing: itemsChangeView(billing) };
  });
}

/** Destroys a workspace (its database and role, on the local provider): a DESTROY run. */
export function destroyWorkspace(scope: OrgScope, input: { workspaceId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findWorkspace(tx, organizationId, input.workspaceId);
    if (before.activeRunId) throw busy();
    if (before.state === "DESTROYED") {
      throw new AppError({ code: "INVALID_STATE", detail: "The workspace is already destroyed" });
    }
    const runId = await startRun(tx, owner(scope), before, "DESTROY", {
      version: before.version,
      size: before.size,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "workspace.destroy_requested",
      targetType: "workspace",
      targetId: before.id,
      changes: { state: { from: before.state, to: "DESTROYING" }, runId: { to: runId } },
    });
    // Billing stops when the destroy is requested (the unused time is credited).
    const billing = await syncWorkspaceItems(scope, tx);
    const workspace = await readChanged(tx, before.id);
    return { workspace: present(workspace, runId), runId, billing: itemsChangeView(billing) };
  });
}

/**
 * Runs a FAILED workspace's failed operation again: a new run of the same action towards the
 * same target, under the same lock as every change (the row locked, then `activeRunId` taken
 * only when no run holds it). Shared by the operator console's retry (./operator.ts); the
 * caller's transaction records the audit entry.
 */
export async function rerunFailedWorkspace(
  tx: TransactionClient,
  /** Who retried (the tenant's member or the operator), for the organization's audit trail. */
  auditSource: AuditSource,
  input: { organizationId: string; workspaceId: string; createdById: string | null },
) {
  const workspace = await findWorkspace(tx, input.organizationId, input.workspaceId);
  if (workspace.activeRunId) throw busy();
  const last = await tx.hostingRun.findFirst({
    where: { workspaceId: workspace.id, organizationId: input.organizationId },
    orderBy: { createdAt: "desc" },
    select: { runId: true, action: true, target: true, failedStep: true },
  });
  if (workspace.state !== "FAILED" || !last) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: `Only a failed workspace can be retried (this one is ${workspace.state.toLowerCase()})`,
    });
  }
  const target = runTargetSchema.parse(last.target);
  const runId = await startRun(tx, input, workspace, last.action, target);
  const state = STARTING_STATE[last.action];
  await recordAudit(tx, auditSource, {
    organizationId: input.organizationId,
    action: "workspace.retry_requested",
    targetType: "workspace",
    targetId: workspace.id,
    changes: {
      state: { from: "FAILED", to: state },
      action: { to: last.action },
      failedStep: { from: last.failedStep },
      retriedRunId: { from: last.runId },
      runId: { to: runId },
    },
  });
  // A failed provision (never ready) was not billed; requested anew, it counts again.
  const countsAgain = workspace.readyAt === null && last.action !== "DESTROY";
  return { workspaceId: workspace.id, action: last.action, runId, state, countsAgain };
}

/**
 * The tenant's retry of its FAILED workspace's last operation (the workspace page's Retry):
 * org admins and owners (the procedure requires the role), the same lock as every change (a
 * run in progress: INVALID_STATE), audited on the organization's trail. A retried provision
 * counts as a billed unit again: its items are set in the same transaction (`billing`).
 */
export function retryFailedWorkspace(scope: OrgScope, input: { workspaceId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const retried = await rerunFailedWorkspace(tx, scope, {
      organizationId,
      workspaceId: input.workspaceId,
      createdById: actorUserId(scope.actor),
    });
    // A retried provision is billed again from now (a provider refusal refuses the retry).
    const billing = retried.countsAgain ? await syncWorkspaceItems(scope, tx) : null;
    const workspace = await readChanged(tx, retried.workspaceId);
    return {
      workspace: present(workspace, retried.runId),
      runId: retried.runId,
      billing: itemsChangeView(billing),
    };
  });
}

/** The app catalogue (apps with versions, sizes and plans; bundles; regions). */
export { HOSTING_APPS, HOSTING_BUNDLES, HOSTING_ITEMS, HOSTING_REGIONS } from "./catalogue.ts";
