// The one logger factory of every Plinth process (web, worker, later the gateway): pino, one
// JSON object per line, level names as strings, ISO times, and secret-looking fields redacted
// wherever they appear in the first three levels of a line ("password", "user.password",
// "req.headers.authorization"). Call sites follow pino's order: `log.info({ fields }, "message")`,
// errors under `err` (serialized with their stack).
import {
  pino,
  stdSerializers,
  stdTimeFunctions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
} from "pino";

export type { DestinationStream, Logger };
export type LogLevel = LevelWithSilent;

/** Field names whose values never reach a log line (replaced by "[redacted]"). */
export const SECRET_FIELD_NAMES = [
  "authorization",
  "cookie",
  "set-cookie",
  "stripe-signature",
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "secret",
  "clientSecret",
  "client_secret",
  "token",
  "sessionToken",
  "tokenHash",
  "accessToken",
  "refreshToken",
  "idToken",
  "access_token",
  "refresh_token",
  "id_token",
  "key",
  "apiKey",
  "keyHash",
  "privateKey",
] as const;

const property = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/** Redaction paths: each secret name at the top level, one and two levels down. */
export const REDACT_PATHS = SECRET_FIELD_NAMES.flatMap((name) => [
  property(name).replace(/^\./, ""),
  `*${property(name)}`,
  `*.*${property(name)}`,
]);

export interface CreateLoggerOptions {
  /** Lines below this level are dropped (their methods are no-ops). Default: info. */
  level?: LogLevel;
  /** Fields on every line, e.g. `{ service: "worker" }` (pino's default: pid and hostname). */
  base?: Record<string, unknown>;
  /** Where lines go. Default: stdout. Tests pass `{ write(line) { ... } }`. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      ...(options.base ? { base: options.base } : {}),
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}
