// Database failures that mean "too busy right now", not "broken": every connection of the pool
// is taken and a transaction could not start within its maxWait (P2028), or a query waited
// out the pool (P2024). Transports answer these with 503 + Retry-After instead of a 500, so a
// burst (100 workspace requests at once) is retried by clients rather than reported as a bug.
import { Prisma } from "./generated/prisma/client.ts";

const BUSY_CODES = new Set(["P2028", "P2024"]);

export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && BUSY_CODES.has(error.code);
}
