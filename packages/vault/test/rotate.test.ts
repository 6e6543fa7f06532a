// Key rotation against real PostgreSQL: entries under v1, then ENCRYPTION_KEYS "v2,v1" and a
// rotation: all under v2, all still decrypt, v1 can be dropped. Batches, re-runs, interrupted
// runs, concurrent runs, a value replaced mid-batch, undecryptable entries, and the command.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "@plinth/db/local-database";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { Keyring, generateKeyEntry, listSecrets, putSecret, readSecret } from "../src/index.ts";
import { rotateSecrets, type RotationDatabase } from "../src/rotate.ts";

const V1 = generateKeyEntry(1);
const V2 = generateKeyEntry(2);
const onlyV1 = Keyring.parse(V1);
const v2AndV1 = Keyring.parse(`${V2},${V1}`);
const onlyV2 = Keyring.parse(V2);
const ENTRIES_PER_ORG = 7;

let db: TestDatabase;
let orgs: string[];

const valueOf = (organizationId: string, index: number) =>
  `token-${organizationId}-${index}-0123456789`;

beforeAll(async () => {
  db = await createTestDatabase();
  orgs = await Promise.all(
    ["R1", "R2"].map(async (name) => {
      const org = await db.system.organization.create({
        data: { name, slug: `rotate-${name.toLowerCase()}` },
      });
      return org.id;
    }),
  );
});
afterAll(() => db.drop());

/** Fresh entries under v1 only, in both organizations. */
async function seedUnderV1() {
  await db.system.vaultSecret.deleteMany({});
  for (const organizationId of orgs) {
    for (let index = 0; index < ENTRIES_PER_ORG; index++) {
      await putSecret(
        db.system,
        { organizationId, name: `svc${index}.token`, plaintext: valueOf(organizationId, index) },
        onlyV1,
      );
    }
  }
}

const versions = async () =>
  (await db.system.vaultSecret.findMany({ select: { keyVersion: true } })).map(
    (row) => row.keyVersion,
  );

async function expectAllReadable(keyring: Keyring) {
  for (const organizationId of orgs) {
    for (let index = 0; index < ENTRIES_PER_ORG; index++) {
      const value = await readSecret(
        db.system,
        { organizationId, name: `svc${index}.token` },
        keyring,
      );
      expect(value?.reveal()).toBe(valueOf(organizationId, index));
    }
  }
}

describe("rotateSecrets", () => {
  it("re-encrypts every v1 entry under v2 in batches; afterwards v1 can be removed", async () => {
    await seedUnderV1();
    // Before rotation the v1 entries need the v1 key.
    await expect(
      readSecret(db.system, { organizationId: orgs[0]!, name: "svc0.token" }, onlyV2),
    ).rejects.toMatchObject({ code: "KEY_UNAVAILABLE" });
    const before = await db.system.vaultSecret.findMany({ orderBy: { id: "asc" } });

    const batches: number[] = [];
    const report = await rotateSecrets(db.system, v2AndV1, {
      batchSize: 3,
      onBatch: ({ rotated }) => batches.push(rotated),
    });
    expect(report).toEqual({
      currentVersion: 2,
      rotated: 2 * ENTRIES_PER_ORG,
      failed: [],
      entriesByVersion: { 2: 2 * ENTRIES_PER_ORG },
    });
    expect(batches).toEqual([3, 6, 9, 12, 14]);
    expect(new Set(await versions())).toEqual(new Set([2]));
    await expectAllReadable(onlyV2);

    // New ciphertext and nonce, same rows; the value's date is kept, the rotation is dated.
    const after = await db.system.vaultSecret.findMany({ orderBy: { id: "asc" } });
    after.forEach((row, index) => {
      const old = before[index]!;
      expect(row.id).toBe(old.id);
      expect(Buffer.from(row.nonce).equals(Buffer.from(old.nonce))).toBe(false);
      expect(row.updatedAt).toEqual(old.updatedAt);
      expect(row.rotatedAt).toBeInstanceOf(Date);
    });
    const listed = await listSecrets(db.system, { organizationId: orgs[0]! });
    expect(listed.every((entry) => entry.keyVersion === 2)).toBe(true);
  });

  it("is idempotent: a second run re-encrypts nothing", async () => {
    const report = await rotateSecrets(db.system, v2AndV1, { batchSize: 3 });
    expect(report.rotated).toBe(0);
    expect(report.entriesByVersion).toEqual({ 2: 2 * ENTRIES_PER_ORG });
  });

  it("is resumable: an interrupted run leaves a mix that the next run finishes", async () => {
    await seedUnderV1();
    const first = await rotateSecrets(db.system, v2AndV1, { batchSize: 4, maxBatches: 1 });
    expect(first.rotated).toBe(4);
    expect(first.entriesByVersion).toEqual({ 2: 4, 1: 2 * ENTRIES_PER_ORG - 4 });
    // Meanwhile both versions decrypt with the full keyring.
    await expectAllReadable(v2AndV1);
    const second = await rotateSecrets(db.system, v2AndV1, { batchSize: 4 });
    expect(second.rotated).toBe(2 * ENTRIES_PER_ORG - 4);
    await expectAllReadable(onlyV2);
  });

  it("two runs at once re-encrypt each entry once and agree on the result", async () => {
    await seedUnderV1();
    const [a, b] = await Promise.all([
      rotateSecrets(db.system, v2AndV1, { batchSize: 2 }),
      rotateSecrets(db.system, v2AndV1, { batchSize: 5 }),
    ]);
    expect(a.rotated + b.rotated).toBe(2 * ENTRIES_PER_ORG);
    expect(new Set(await versions())).toEqual(new Set([2]));
    await expectAllReadable(onlyV2);
  });

  it("never overwrites a value replaced while its batch was in flight", async () => {
    await seedUnderV1();
    const [organizationId] = orgs as [string];
    // A web instance that still has only v1 replaces a secret between the batch's read and
    // its write: the rotation must not put the old value back.
    let replaced = false;
    const racing = new Proxy(db.system.vaultSecret, {
      get(target, property, receiver) {
        if (property !== "findMany") return Reflect.get(target, property, receiver) as unknown;
        return async (args: Parameters<typeof target.findMany>[0]) => {
          const rows = await target.findMany(args);
          if (!replaced) {
            replaced = true;
            await putSecret(
              db.system,
              { organizationId, name: "svc0.token", plaintext: "replaced-mid-rotation" },
              onlyV1,
            );
          }
          return rows;
        };
      },
    });
    const database: RotationDatabase = {
      vaultSecret: racing,
      $transaction: db.system.$transaction.bind(db.system),
    };
    const report = await rotateSecrets(database, v2AndV1, { batchSize: 50 });
    expect(report.rotated).toBe(2 * ENTRIES_PER_ORG - 1);
    const value = await readSecret(db.system, { organizationId, name: "svc0.token" }, v2AndV1);
    expect(value?.reveal()).toBe("replaced-mid-rotation");
    // The next run picks it up.
    expect((await rotateSecrets(db.system, v2AndV1)).rotated).toBe(1);
    expect(new Set(await versions())).toEqual(new Set([2]));
  });

  it("reports entries it cannot decrypt, leaves them unchanged and finishes the rest", async () => {
    await seedUnderV1();
    const [organizationId] = orgs as [string];
    // One entry under a key nobody has any more, one with a damaged tag.
    await putSecret(
      db.system,
      { organizationId, name: "orphan.token", plaintext: "under-a-lost-key" },
      Keyring.parse(generateKeyEntry(7)),
    );
    await db.system.$executeRaw`
      UPDATE vault_secrets SET auth_tag = set_byte(auth_tag, 3, get_byte(auth_tag, 3) # 1)
      WHERE organization_id = ${organizationId} AND name = 'svc1.token'`;
    const report = await rotateSecrets(db.system, v2AndV1, { batchSize: 3 });
    expect(report.rotated).toBe(2 * ENTRIES_PER_ORG - 1);
    expect(
      report.failed.map(({ name, keyVersion, reason }) => ({ name, keyVersion, reason })),
    ).toEqual(
      expect.arrayContaining([
        { name: "orphan.token", keyVersion: 7, reason: "KEY_UNAVAILABLE" },
        { name: "svc1.token", keyVersion: 1, reason: "DECRYPTION_FAILED" },
      ]),
    );
    expect(report.failed).toHaveLength(2);
    expect(report.entriesByVersion).toEqual({ 7: 1, 2: 2 * ENTRIES_PER_ORG - 1, 1: 1 });
  });
});

describe("pnpm vault:rotate (scripts/vault.ts)", () => {
  const run = promisify(execFile);
  const command = (env: Record<string, string>, ...args: string[]) =>
    run("pnpm", ["exec", "tsx", path.join("scripts", "vault.ts"), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: "production", ...env },
    });

  it("rotates every entry and says when the old key can go", async () => {
    await seedUnderV1();
    const { stdout } = await command(
      { ENCRYPTION_KEYS: `${V2},${V1}` },
      "rotate",
      "--batch-size=5",
    );
    expect(stdout).toContain(`${2 * ENTRIES_PER_ORG} re-encrypted`);
    expect(stdout).toContain("the older keys can be removed");
    expect(stdout).not.toContain(V2.slice(3, 15));
    expect(new Set(await versions())).toEqual(new Set([2]));
    await expectAllReadable(onlyV2);
  });

  it("refuses a malformed ENCRYPTION_KEYS without echoing it, and changes nothing", async () => {
    await seedUnderV1();
    const broken = `${V2.slice(0, -4)},${V1}`;
    const failure = await command({ ENCRYPTION_KEYS: broken }, "rotate").then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("ENCRYPTION_KEYS entry 1");
    expect(failure?.stderr).not.toContain(V2.slice(3, 15));
    expect(new Set(await versions())).toEqual(new Set([1]));
  });

  it("new-key prints the next version's entry", async () => {
    const { stdout } = await command({ ENCRYPTION_KEYS: `${V2},${V1}` }, "new-key");
    expect(() => Keyring.parse(stdout.trim())).not.toThrow();
    expect(stdout).toMatch(/^v3:/);
  });
});
