// Structured JSON logs, one object per line on stdout.
import { Logger as GraphileLogger } from "graphile-worker";

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;
export type LogSink = (entry: LogFields & { time: string; level: LogLevel; msg: string }) => void;

export interface Log {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Log;
  /** Whether a line of this level would be written (skip building fields otherwise). */
  isEnabled(level: LogLevel): boolean;
}

/** One log line as the worker writes it (bigints as strings, errors with their stack). */
export function formatLogLine(entry: Parameters<LogSink>[0]): string {
  return `${JSON.stringify(entry, jsonReplacer)}\n`;
}

export const stdoutSink: LogSink = (entry) => {
  process.stdout.write(formatLogLine(entry));
};

function jsonReplacer(_key: string, value: unknown) {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLog(
  options: { level?: LogLevel; sink?: LogSink; fields?: LogFields } = {},
): Log {
  const min = LEVELS[options.level ?? "info"];
  const sink = options.sink ?? stdoutSink;
  const base = options.fields ?? {};
  const write =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      if (LEVELS[level] < min) return;
      sink({ time: new Date().toISOString(), level, msg, ...base, ...fields });
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (fields) => createLog({ ...options, fields: { ...base, ...fields } }),
    isEnabled: (level) => LEVELS[level] >= min,
  };
}

export function errorFields(error: unknown): LogFields {
  return error instanceof Error
    ? { error: { name: error.name, message: error.message, stack: error.stack } }
    : { error: { message: String(error) } };
}

/**
 * graphile-worker's own logger, routed into ours. Its per-job success/failure lines are
 * skipped (the worker logs those itself from the job events, with name, id and attempt).
 */
export function graphileLogger(log: Log): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    if (meta && ("failure" in meta || "success" in meta)) return;
    const mapped: LogLevel =
      level === "error"
        ? "error"
        : level === "warning"
          ? "warn"
          : level === "info"
            ? "info"
            : "debug";
    // graphile-worker logs several debug lines per job: build nothing for a dropped line.
    if (!log.isEnabled(mapped)) return;
    log[mapped](message, { source: "graphile-worker", ...scope });
  });
}
