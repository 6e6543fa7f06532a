// Structured JSON logs, one line per event, with the request id bound in.
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(
  bound: LogFields = {},
  write = (line: string) => console.log(line),
): Logger {
  const log = (level: string) => (message: string, fields?: LogFields) =>
    write(
      JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...bound, ...fields }),
    );
  return {
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (fields) => createLogger({ ...bound, ...fields }, write),
  };
}

export const silentLogger: Logger = createLogger({}, () => {});
