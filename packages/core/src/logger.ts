// The one logger factory of every Plinth process (web, worker, later the gateway): pino, one
// JSON object per line, level names as strings, ISO times, errors under `err` (serialized with
// their stack), and secret-looking fields redacted. Call sites follow pino's order:
// `log.info({ fields }, "message")`.
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

/** Field names redacted wherever they appear (also in child bindings). */
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

const REDACTED = "[redacted]";

/** Also redacted in logged objects: any name ending like a secret (`resetToken`, `webhookSecret`). */
const SECRET_FIELD = new RegExp(
  `^(${SECRET_FIELD_NAMES.join("|")})$|(token|secret|password|passwordhash|tokenhash|keyhash|apikey|privatekey)$`,
  "i",
);

const isPlainContainer = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
};

/**
 * A logged object with secret-looking fields replaced, down to two levels below the top
 * (`password`, `user.passwordHash`, `req.headers.authorization`); plain objects and arrays
 * only, copied on write (the caller's object is never changed). pino's own `redact` option
 * needs a wildcard path per name and level for this, measured at ~120–180 µs per line
 * (docs/benchmarks.md); this walk costs about as much as writing the line.
 */
export function redactSecrets<T extends Record<string, unknown>>(value: T, depth = 0): T {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = value[key];
    const next = SECRET_FIELD.test(key)
      ? REDACTED
      : depth < 2 && isPlainContainer(field)
        ? redactSecrets(field, depth + 1)
        : field;
    if (next !== field) {
      copy ??= (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}

export interface CreateLoggerOptions {
  /** Lines below this level are dropped (their methods are no-ops). Default: info. */
  level?: LogLevel;
  /** Fields on every line, e.g. `{ service: "worker" }` (pino's default: pid and hostname). */
  base?: Record<string, unknown>;
  /** Where lines go. Default: stdout. Tests pass `{ write(line) { ... } }`. */
  destination?: DestinationStream;
}

const bindingPath = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`);

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      ...(options.base ? { base: options.base } : {}),
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redactSecrets(fields) },
      serializers: { err: stdSerializers.err },
      // Child bindings (request id, job id, …) are not passed through `formatters.log`: pino's
      // redact covers their top level (exact names: cheap, unlike wildcard paths).
      redact: { paths: SECRET_FIELD_NAMES.map(bindingPath), censor: REDACTED },
    },
    options.destination,
  );
}

/**
 * `parent.child(bindings)`, made on first use. Every request scope has a logger with its
 * request id and actor, and an organization scope one more with the organization: pino
 * builds each child's bindings up front (~5% of a gateway request's CPU, profiled), while
 * most requests never log a line.
 */
export function lazyChildLogger(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= parent.child(bindings));
  // An empty target: no invariants of pino's own properties to honour; everything forwards.
  return new Proxy({} as Logger, {
    get(_target, property) {
      const logger = real();
      const value: unknown = Reflect.get(logger, property, logger);
      if (typeof value !== "function") return value;
      const method = value as (this: Logger, ...args: unknown[]) => unknown;
      return method.bind(logger);
    },
    set: (_target, property, value) => Reflect.set(real(), property, value),
    has: (_target, property) => Reflect.has(real(), property),
  });
}
