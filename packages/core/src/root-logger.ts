// This process's root logger (web, worker): LOG_LEVEL from the environment, created on first
// use and cached on globalThis so Next's development reloads do not open a stream per edit.
// Requests and jobs log through children of it (request id, organization, user / job id).
import { coreEnv } from "./env.ts";
import { createLogger, type Logger } from "./logger.ts";

const globalForLogger = globalThis as typeof globalThis & { __plinthRootLogger?: Logger };

export function rootLogger(): Logger {
  globalForLogger.__plinthRootLogger ??= createLogger({ level: coreEnv().LOG_LEVEL });
  return globalForLogger.__plinthRootLogger;
}
