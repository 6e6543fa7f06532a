// The API catalog's worker adapter: the minute's usage rollup (./jobs.ts).
import type { HandlersFor } from "@plinth/jobs";
import { rollupUsage } from "@plinth/metering";
import { defineModuleWorker } from "@plinth/platform/worker";
import { apiCatalogModule } from "./index.ts";
import { type apiCatalogJobs } from "./jobs.ts";

const handlers: HandlersFor<typeof apiCatalogJobs> = {
  "apiCatalog.rollupUsage": async (_payload, ctx) => {
    const report = await rollupUsage(ctx.prisma);
    ctx.log.debug({ report }, "usage rollup");
  },
};

export const worker = defineModuleWorker(apiCatalogModule, { handlers });
