// The "hosting-provision" run kind: one core run per HostingRun (found by its run id), driving
// the workspace's provider through its steps — init → plan → apply (provision, update) or
// init → plan → destroy — storing each step's output (hosting_run_steps) and streaming it to
// the run's log. The workspace's lock is its activeRunId (set when the run was requested,
// conditionally: one run at a time); the run clears it at the end. Idempotent re-runs: a run
// resumed after a crash skips the steps that already SUCCEEDED and repeats the interrupted one
// (providers converge); a run whose workspace lock is no longer its own does nothing. A step
// whose failure the provider calls transient (a held state lock, the network, a server starting
// up) is retried in place with backoff, each attempt counted on the step, before the run fails.
import { setTimeout as sleep } from "node:timers/promises";
import { recordAudit, systemAudit } from "@plinth/core/audit";
import type { Prisma, PrismaClient } from "@plinth/db";
import { defineRunKind, enqueue, type RunContext } from "@plinth/jobs";
import { deleteSecret, putSecret, readSecret } from "@plinth/vault";
import { emitWebhookEvent } from "@plinth/webhooks";
import { z } from "zod";
import { alertRunFailed } from "./alerts.ts";
import { findApp, findSize } from "./catalogue.ts";
import { releaseWorkspaceDomains } from "./domains.ts";
import { hostingJobs } from "./jobs.ts";
import { newestChars, runTargetSchema } from "./stored.ts";
import type {
  HostingProvider,
  HostingStep,
  StepContext,
  StepResult,
  WorkspaceSecrets,
  WorkspaceTarget,
} from "./providers/types.ts";

export const STEPS = {
  PROVISION: ["init", "plan", "apply"],
  UPDATE: ["init", "plan", "apply"],
  DESTROY: ["init", "plan", "destroy"],
} as const satisfies Record<string, readonly HostingStep[]>;

const RUNNING_STATE = {
  PROVISION: "PROVISIONING",
  UPDATE: "UPDATING",
  DESTROY: "DESTROYING",
} as const;

/** What a step's stored output keeps: its newest characters. */
const clip = (text: string) => newestChars(text, 100_000);

function vaultSecrets(prisma: PrismaClient, organizationId: string): WorkspaceSecrets {
  return {
    put: async (name, value) => {
      await putSecret(prisma, { organizationId, name, plaintext: value });
    },
    read: async (name) => (await readSecret(prisma, { organizationId, name }))?.reveal() ?? null,
    delete: async (name) => {
      await deleteSecret(prisma, { organizationId, name });
    },
  };
}

/** Waits before each retry of a transiently failed step: two retries, then the run fails. */
export const STEP_RETRY_DELAYS_MS: readonly number[] = [2_000, 10_000];

export interface HostingRunKindOptions {
  /** The adapter of a workspace's provider ("local", "terraform"). */
  provider(key: string): HostingProvider;
  /** Backoff between attempts of a step that failed transiently (default STEP_RETRY_DELAYS_MS). */
  retryDelaysMs?: readonly number[];
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createHostingRunKind(options: HostingRunKindOptions) {
  return defineRunKind({
    input: z.object({}).passthrough(),
    async execute(ctx) {
      return executeHostingRun(ctx, options);
    },
  });
}

/**
 * Runs a step, retrying it after each delay while it fails transiently (never once the run is
 * being stopped); answers its result and the notes of the retries it took.
 */
async function attemptStep(
  run: () => Promise<StepResult>,
  options: {
    isTransient: (error: unknown) => boolean;
    delays: readonly number[];
    signal: AbortSignal;
    onRetry: (note: string) => Promise<void>;
  },
): Promise<{ result: StepResult; retries: string[] }> {
  const retries: string[] = [];
  for (let retry = 0; ; retry++) {
    try {
      return { result: await run(), retries };
    } catch (error) {
      const delay = options.delays[retry];
      if (options.signal.aborted || delay === undefined || !options.isTransient(error)) throw error;
      const note = `transient failure (${messageOf(error)}); retry ${retry + 1} of ${options.delays.length} in ${delay} ms`;
      retries.push(note);
      await options.onRetry(note);
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}

async function executeHostingRun(
  ctx: RunContext<unknown>,
  options: HostingRunKindOptions,
): Promise<Prisma.InputJsonValue> {
  const { prisma, organizationId } = ctx;
  const hostingRun = await prisma.hostingRun.findFirst({
    where: { runId: ctx.runId, organizationId },
    include: { workspace: true },
  });
  if (!hostingRun) throw new Error("No workspace run belongs to this run");
  const workspace = hostingRun.workspace;
  if (workspace.activeRunId !== hostingRun.id) {
    // A duplicate delivery of a run that already finished (or never held the lock).
    await ctx.log("The workspace is not locked by this run: nothing to do", "warn");
    return { skipped: true };
  }
  const target = runTargetSchema.parse(hostingRun.target);
  const app = findApp(workspace.app);
  const size = app && findSize(app, target.size);
  if (!app || !size) throw new Error(`The catalogue has no ${workspace.app} ${target.size}`);
  const action = hostingRun.action;
  const workspaceTarget: WorkspaceTarget = {
    workspaceId: workspace.id,
    organizationId,
    name: workspace.name,
    app,
    version: target.version,
    size,
    region: workspace.region,
    action,
  };
  const provider = options.provider(workspace.provider);
  const organization = await prisma.organization.findUnique({
    where: { id: organizationId },
    select: { slug: true },
  });
  const url = `${ctx.appUrl}/o/${organization?.slug ?? "-"}/workspaces/${workspace.id}`;
  await prisma.hostingWorkspace.updateMany({
    where: { id: workspace.id, activeRunId: hostingRun.id },
    data: { state: RUNNING_STATE[action], failedStep: null, error: null },
  });

  const steps = STEPS[action];
  const done = await prisma.hostingRunStep.findMany({
    where: { hostingRunId: hostingRun.id, status: "SUCCEEDED" },
    select: { name: true },
  });
  const skipped = new Set(done.map((step) => step.name));
  let outputs: Record<string, string | number> | undefined;
  for (const [index, name] of steps.entries()) {
    if (skipped.has(name)) {
      await ctx.log(`${name}: already done (resumed run)`);
      continue;
    }
    const stepKey = { hostingRunId_name: { hostingRunId: hostingRun.id, name } };
    await prisma.hostingRunStep.upsert({
      where: stepKey,
      create: { organizationId, hostingRunId: hostingRun.id, name, seq: index },
      update: {
        status: "RUNNING",
        attempts: { increment: 1 },
        startedAt: new Date(),
        finishedAt: null,
      },
    });
    const lines: string[] = [];
    const stepCtx: StepContext = {
      target: workspaceTarget,
      secrets: vaultSecrets(prisma, organizationId),
      signal: ctx.signal,
      log: async (line) => {
        lines.push(line);
        await ctx.log(`${name}: ${line}`);
      },
    };
    try {
      await ctx.checkpoint((index * 100) / steps.length, `${name}: started`);
      const { result, retries } = await attemptStep(() => provider[name](stepCtx), {
        isTransient: (error) => provider.isTransient(error),
        delays: options.retryDelaysMs ?? STEP_RETRY_DELAYS_MS,
        signal: ctx.signal,
        onRetry: async (note) => {
          await stepCtx.log(note);
          await prisma.hostingRunStep.update({
            where: stepKey,
            data: { attempts: { increment: 1 } },
          });
        },
      });
      if (result.outputs) outputs = result.outputs;
      await prisma.hostingRunStep.update({
        where: stepKey,
        data: {
          status: "SUCCEEDED",
          output: clip([...retries, result.output].join("\n")),
          finishedAt: new Date(),
        },
      });
    } catch (error) {
      if (ctx.signal.aborted) throw error; // forced stop: the run resumes at this step
      const message = messageOf(error);
      const output = clip([...lines, `error: ${message}`].join("\n"));
      await prisma.$transaction(async (tx) => {
        await tx.hostingRunStep.update({
          where: stepKey,
          data: { status: "FAILED", output, finishedAt: new Date() },
        });
        await tx.hostingRun.update({
          where: { id: hostingRun.id },
          data: { failedStep: name, finishedAt: new Date() },
        });
        const failed = await tx.hostingWorkspace.updateMany({
          where: { id: workspace.id, activeRunId: hostingRun.id },
          data: {
            state: "FAILED",
            failedStep: name,
            error: message.slice(0, 2_000),
            activeRunId: null,
          },
        });
        // A workspace that never became ready stops counting as a billed unit (./billing.ts):
        // its items are re-set right after this commits, by the worker (no request scope here).
        if (failed.count > 0 && workspace.readyAt === null && action !== "DESTROY") {
          await enqueue(tx, hostingJobs.syncItems, { organizationId });
        }
      });
      await alertRunFailed(prisma, {
        organizationId,
        hostingRunId: hostingRun.id,
        runId: ctx.runId,
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        app: app.key,
        action,
        failedStep: name,
        error: message,
        url,
      });
      throw new Error(`${name} failed: ${message}`);
    }
  }

  const now = new Date();
  const finalState = action === "DESTROY" ? "DESTROYED" : "READY";
  // A destroyed workspace's custom domains: their records deleted, their hostnames freed.
  const releasedDomains =
    action === "DESTROY"
      ? await releaseWorkspaceDomains(
          prisma,
          { organizationId, workspaceId: workspace.id },
          (line) => ctx.log(line),
        )
      : [];
  await prisma.$transaction(async (tx) => {
    await tx.hostingRun.update({ where: { id: hostingRun.id }, data: { finishedAt: now } });
    if (releasedDomains.length > 0) {
      await tx.hostingDomain.deleteMany({
        where: { id: { in: releasedDomains }, workspaceId: workspace.id },
      });
    }
    await tx.hostingWorkspace.update({
      where: { id: workspace.id },
      data: {
        state: finalState,
        activeRunId: null,
        version: target.version,
        size: target.size,
        // Ready for the first time (a provision, or an update of a never-provisioned one).
        ...(finalState === "READY" && workspace.readyAt === null ? { readyAt: now } : {}),
        ...(action === "DESTROY" ? { destroyedAt: now, outputs: {} } : {}),
        ...(outputs ? { outputs } : {}),
      },
    });
    await recordAudit(tx, systemAudit("hosting run"), {
      organizationId,
      action: `workspace.${finalState.toLowerCase()}`,
      targetType: "workspace",
      targetId: workspace.id,
      changes: {
        runId: { to: ctx.runId },
        state: { from: workspace.state, to: finalState },
        ...(workspace.version !== target.version
          ? { version: { from: workspace.version, to: target.version } }
          : {}),
        ...(workspace.size !== target.size
          ? { size: { from: workspace.size, to: target.size } }
          : {}),
        ...(releasedDomains.length > 0 ? { domainsReleased: { to: releasedDomains.length } } : {}),
      },
    });
    if (finalState === "READY") {
      await emitWebhookEvent(tx, {
        organizationId,
        type: "workspace.ready",
        data: {
          workspaceId: workspace.id,
          name: workspace.name,
          app: app.key,
          version: target.version,
          size: target.size,
          runId: ctx.runId,
          url,
        },
      });
    }
  });
  return { workspaceId: workspace.id, action, state: finalState };
}
