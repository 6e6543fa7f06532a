// The API catalog's jobs: folding new usage events into the hourly/daily rollups every minute
// (the buyer and operator analytics read them). rollupUsage is incremental and takes an
// advisory lock, so another schedule of the same fold elsewhere is harmless.
import { z } from "zod";
import { defineJob } from "@plinth/jobs";

export const apiCatalogJobs = {
  rollupUsage: defineJob({
    name: "apiCatalog.rollupUsage",
    payload: z.object({}).loose(),
    maxAttempts: 3,
  }),
} as const;
