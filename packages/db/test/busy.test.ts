// isDatabaseBusy: what a real pool exhaustion throws (Prisma's P2028 when a transaction cannot
// start within maxWait) is recognised as "busy" (transports answer 503 + Retry-After); other
// database errors are not.
import { afterAll, beforeAll, expect, it } from "vitest";
import { isDatabaseBusy } from "../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it("recognises a transaction that could not get a connection, and nothing else", async () => {
  // The test database's pool has 5 connections: hold them all.
  const holders = Array.from({ length: 5 }, () =>
    db.system.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(1)`;
      },
      { timeout: 10_000 },
    ),
  );
  const busy = await db.system
    .$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 100 })
    .then(
      () => null,
      (error: unknown) => error,
    );
  await Promise.all(holders);
  expect(busy).not.toBeNull();
  expect(isDatabaseBusy(busy)).toBe(true);

  const broken = await db.system.$queryRawUnsafe("SELECT * FROM no_such_table").then(
    () => null,
    (error: unknown) => error,
  );
  expect(broken).not.toBeNull();
  expect(isDatabaseBusy(broken)).toBe(false);
  expect(isDatabaseBusy(new Error("P2028"))).toBe(false);
});
