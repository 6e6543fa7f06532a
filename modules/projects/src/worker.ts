// The projects module's worker adapter: it declares no jobs and no run kinds.
import { defineModuleWorker } from "@plinth/platform/worker";
import { projectsModule } from "./index.ts";

export const worker = defineModuleWorker(projectsModule, { handlers: {} });
