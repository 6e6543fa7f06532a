// graphile-worker's own logger, routed into the worker's pino logger.
import { Logger as GraphileLogger, type LogLevel as GraphileLogLevel } from "graphile-worker";
import type { Logger } from "@plinth/core/logger";

const LEVELS = {
  error: "error",
  warning: "warn",
  info: "info",
  debug: "debug",
} as const satisfies Record<`${GraphileLogLevel}`, string>;

/**
 * Its per-job success/failure lines are skipped (the worker logs those itself from the job
 * events, with name, id and attempt), and so is every line below the logger's level before
 * any field is built: graphile-worker writes several debug lines per job.
 */
export function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    if (meta && ("failure" in meta || "success" in meta)) return;
    const mapped = LEVELS[level] ?? "debug";
    if (!log.isLevelEnabled(mapped)) return;
    log[mapped]({ source: "graphile-worker", ...scope }, message);
  });
}
