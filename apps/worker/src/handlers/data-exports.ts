// Personal data exports (@plinth/platform/data-exports): build one user's zip (the product's
// modules contribute), delete an erased account's zips, expire old ones. A build that fails
// on its last attempt is marked FAILED, so the user can ask again.
import { type jobs } from "@plinth/jobs";
import {
  buildDataExport,
  dataExportConfig,
  eraseDataExportFiles,
  failDataExport,
  purgeExpiredDataExports,
} from "@plinth/platform/data-exports";
import { type JobHandler } from "./types.ts";

export const buildDataExportHandler: JobHandler<typeof jobs.dataExportBuild> = async (
  { exportId },
  ctx,
) => {
  try {
    const outcome = await buildDataExport(
      ctx.prisma,
      ctx.product.modules,
      exportId,
      ctx.dataExports ?? dataExportConfig(),
    );
    ctx.log.info({ exportId, outcome }, "data export built");
  } catch (error) {
    if (ctx.job.isFinalAttempt) await failDataExport(ctx.prisma, exportId);
    throw error;
  }
};

export const eraseDataExportsHandler: JobHandler<typeof jobs.dataExportErase> = async (
  { storageKeys },
  ctx,
) => {
  await eraseDataExportFiles(ctx.dataExports ?? dataExportConfig(), storageKeys);
  ctx.log.info({ files: storageKeys.length }, "erased account's data exports deleted");
};

export const purgeDataExportsHandler: JobHandler<typeof jobs.purgeDataExports> = async (
  _payload,
  ctx,
) => {
  const expired = await purgeExpiredDataExports(ctx.prisma, ctx.dataExports ?? dataExportConfig());
  ctx.log.info({ expired }, "expired data exports purged");
};
