// The ai-tasks module's worker adapter: no jobs or run kinds yet.
import { defineModuleWorker } from "@plinth/platform/worker";
import { aiTasksModule } from "./index.ts";

export const worker = defineModuleWorker(aiTasksModule, { handlers: {} });
