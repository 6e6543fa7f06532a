// run.execute: the run engine (@plinth/jobs) with every run kind of the product.
import { executeRun, type jobs } from "@plinth/jobs";
import { type JobHandler } from "./types.ts";

export const executeRunHandler: JobHandler<typeof jobs.runExecute> = (payload, ctx) =>
  executeRun(payload, ctx, ctx.runKinds);
