// A module's worker adapter (modules/<key>/src/worker.ts): the handlers of the jobs its
// declaration lists and the executors of its run kinds. Checked when defined: every declared
// job has exactly one handler and every declared run kind an executor, nothing more; the
// HandlersFor type makes a missing handler a compile error first. Handlers get the job context
// plus the worker's product and billing runtime (ModuleJobContext: the worker app passes both
// to every job), for a module job that calls the billing provider.
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import {
  registerJob,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type RegisteredJob,
  type RunKind,
} from "@plinth/jobs";
import type { AnyModule } from "./module.ts";
import type { ProductRuntime } from "./product.ts";

/** What a module's job handlers receive: the job context, the product, the billing runtime. */
export interface ModuleJobContext extends JobContext {
  /** The product the worker runs (its catalog). */
  product: ProductRuntime;
  /** The worker's billing provider (Stripe client or null: local) and grace period. */
  billing: Omit<BillingRuntime, "appUrl">;
}

export interface ModuleWorker {
  readonly module: string;
  readonly jobs: readonly RegisteredJob<ModuleJobContext>[];
  readonly runKinds: Readonly<Record<string, RunKind>>;
}

export function defineModuleWorker(
  module: AnyModule,
  parts: {
    /** Keyed by job name; `satisfies HandlersFor<typeof myJobs>` checks them. */
    handlers: Readonly<Record<string, (payload: never, ctx: ModuleJobContext) => Promise<void>>>;
    runKinds?: Readonly<Record<string, RunKind>>;
  },
): ModuleWorker {
  const declared = new Map<string, JobDefinition>(module.jobs.map((job) => [job.name, job]));
  const handled = Object.keys(parts.handlers);
  const missing = [...declared.keys()].filter((name) => !handled.includes(name));
  const extra = handled.filter((name) => !declared.has(name));
  if (missing.length || extra.length) {
    throw new Error(
      `Module ${module.key}: handlers missing for [${missing.join(", ")}], not declared: [${extra.join(", ")}]`,
    );
  }
  const runKinds = parts.runKinds ?? {};
  const kinds = Object.keys(runKinds).sort().join(",");
  if (kinds !== [...module.runKinds].sort().join(",")) {
    throw new Error(
      `Module ${module.key}: run kind executors [${kinds}] ≠ declared [${module.runKinds.join(",")}]`,
    );
  }
  return {
    module: module.key,
    jobs: [...declared.values()].map((definition) =>
      registerJob(
        definition,
        parts.handlers[definition.name] as JobHandler<JobDefinition, ModuleJobContext>,
      ),
    ),
    runKinds,
  };
}
