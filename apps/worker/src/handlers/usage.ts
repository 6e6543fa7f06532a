import { type jobs } from "@plinth/jobs";
import { maintainUsagePartitions, rollupUsage } from "@plinth/metering";
import { type JobHandler } from "./types.ts";

/** Folds the usage events committed since the last run into the hourly/daily rollups. */
export const usageRollupHandler: JobHandler<typeof jobs.usageRollup> = async (_payload, ctx) => {
  const report = await rollupUsage(ctx.prisma);
  if (report.events > 0) {
    ctx.log.info(
      {
        events: report.events,
        hourlyRows: report.hourlyRows,
        dailyRows: report.dailyRows,
        watermark: String(report.watermark),
      },
      "usage rolled up",
    );
  }
};

/** Creates the coming months' usage_events partitions and drops those past retention. */
export const usagePartitionsHandler: JobHandler<typeof jobs.usagePartitions> = async (
  _payload,
  ctx,
) => {
  const { created, dropped } = await maintainUsagePartitions(ctx.prisma, {
    retentionMonths: ctx.usage.retentionMonths,
  });
  ctx.log.info(
    { created, dropped, retentionMonths: ctx.usage.retentionMonths },
    "usage partitions maintained",
  );
};
