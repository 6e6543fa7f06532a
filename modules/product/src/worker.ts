// The product's worker parts: the enabled modules' job handlers, their cron entries and run
// kinds (core's own are the worker app's). A disabled module's jobs are not registered.
import type { ProductRuntime } from "@plinth/platform";
import type { ModuleWorker } from "@plinth/platform/worker";
import { worker as aiTasks } from "@plinth/ai-tasks/worker";
import { worker as apiCatalog } from "@plinth/api-catalog/worker";
import { worker as demoBooking } from "@plinth/demo-booking/worker";
import { worker as hosting } from "@plinth/hosting/worker";
import { worker as projects } from "@plinth/projects/worker";
import { worker as teams } from "@plinth/teams/worker";
import { worker as testAutomation } from "@plinth/test-automation/worker";
import { worker as voiceTraining } from "@plinth/voice-training/worker";
import type { ModuleKey } from "./modules.ts";

const moduleWorkers = {
  teams,
  projects,
  "ai-tasks": aiTasks,
  "voice-training": voiceTraining,
  "api-catalog": apiCatalog,
  "test-automation": testAutomation,
  hosting,
  "demo-booking": demoBooking,
} satisfies Record<ModuleKey, ModuleWorker>;

/** What the worker runs for `product`'s modules (core jobs are registered by the worker). */
export function productWorker(product: ProductRuntime) {
  const enabled = Object.values(moduleWorkers).filter((worker) => product.isEnabled(worker.module));
  return {
    jobs: enabled.flatMap((worker) => worker.jobs),
    runKinds: Object.assign(
      {},
      ...enabled.map((worker) => worker.runKinds),
    ) as ModuleWorker["runKinds"],
    /** Every enabled module's cron entries, core's included. */
    cron: product.cron,
  };
}

export { activeProduct } from "./index.ts";
