// One interface for every provider adapter (local PostgreSQL, Terraform): the run executor
// (../executor.ts) calls init → plan → apply (provision, update) or init → plan → destroy, one
// method per step, and stores each step's output. Every method is idempotent: a run resumed
// after a crash calls the interrupted step again and it converges on the same result.
import type { HostingApp, HostingSize } from "../catalogue.ts";

export type HostingAction = "PROVISION" | "UPDATE" | "DESTROY";

export interface WorkspaceTarget {
  workspaceId: string;
  organizationId: string;
  name: string;
  app: HostingApp;
  version: string;
  size: HostingSize;
  region: string;
  action: HostingAction;
}

/** Where a provider keeps the workspace's credentials (the vault, per organization). */
export interface WorkspaceSecrets {
  put(name: string, value: string): Promise<void>;
  read(name: string): Promise<string | null>;
  delete(name: string): Promise<void>;
}

export interface StepContext {
  target: WorkspaceTarget;
  secrets: WorkspaceSecrets;
  /** A line of the step's live output (also written to the run's log). */
  log(line: string): Promise<void>;
  signal: AbortSignal;
}

export interface StepResult {
  /** The step's output, stored with the step. */
  output: string;
  /** What the workspace shows after apply (no secrets): database, host, …. */
  outputs?: Record<string, string | number>;
}

export type HostingStep = "init" | "plan" | "apply" | "destroy";

/** Suspending or resuming a workspace's access (../access.ts): no run, the row lock only. */
export interface AccessContext {
  workspaceId: string;
  organizationId: string;
  log(line: string): Promise<void>;
}

/**
 * A provider that cannot do an operation says so with this (typed) refusal instead of
 * pretending: the access sync leaves such a workspace as it is and counts it `unsupported`.
 */
export class ProviderUnsupportedError extends Error {
  constructor(
    readonly provider: string,
    readonly operation: "suspend" | "resume",
    reason: string,
  ) {
    super(`The ${provider} provider cannot ${operation} a workspace: ${reason}`);
    this.name = "ProviderUnsupportedError";
  }
}

export interface HostingProvider {
  readonly key: string;
  /**
   * Whether a step's failure may succeed on a retry (a held state lock, the network, a server
   * starting up): the executor retries such a step with backoff before failing the run.
   */
  isTransient(error: unknown): boolean;
  init(ctx: StepContext): Promise<StepResult>;
  plan(ctx: StepContext): Promise<StepResult>;
  apply(ctx: StepContext): Promise<StepResult>;
  destroy(ctx: StepContext): Promise<StepResult>;
  /** Stops every use of the workspace (its organization may only read); idempotent. */
  suspend(ctx: AccessContext): Promise<StepResult>;
  /** Undoes suspend; idempotent. */
  resume(ctx: AccessContext): Promise<StepResult>;
}

/** The vault name of a workspace's database password. */
export const passwordSecretName = (workspaceId: string) =>
  `hosting.workspace.${workspaceId}.password`;
