// isDatabaseBusy: what a real pool exhaustion throws (Prisma's P2028 when a transaction cannot
// start within maxWait) is recognised as "busy" (transports answer 503 + Retry-After); other
// database errors are not.
import { afterAll, beforeAll, expect, it } from "vitest";
import { systemPool } from "../src/client.ts";
import { isDatabaseBusy } from "../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

it("recognises a transaction that could not get a connection, and nothing else", async () => {
  // Hold every connection of the system client's pool — each holder waits inside its
  // transaction until the probe has failed, and the probe starts only once all are inside (on
  // a loaded machine a holder may get its connection late: no timing is assumed).
  const size = systemPool(db, "test: the pool's size").options.max;
  let entered = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const holders = Array.from({ length: size }, () =>
    db.system.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1`;
        entered += 1;
        await released;
      },
      { timeout: 30_000, maxWait: 30_000 },
    ),
  );
  while (entered < size) await new Promise((resolve) => setTimeout(resolve, 10));
  const busy = await db.system
    .$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 100 })
    .then(
      () => null,
      (error: unknown) => error,
    );
  release();
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
