// The API catalog's worker adapter: no jobs of its own (its analytics read the usage rollups
// that core's `usage.rollup` cron job folds every minute).
import { defineModuleWorker } from "@plinth/platform/worker";
import { apiCatalogModule } from "./index.ts";

export const worker = defineModuleWorker(apiCatalogModule, { handlers: {} });
