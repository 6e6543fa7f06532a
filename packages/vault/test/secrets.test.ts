// The vault against real PostgreSQL: what is stored (no plaintext anywhere in the row), what
// describe/list answer (exactly the four public fields), tampering with the stored row,
// tenancy (explicit filter and row-level security), and refusals of bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  Keyring,
  VaultError,
  deleteSecret,
  describeSecret,
  generateKeyEntry,
  listSecrets,
  putSecret,
  readSecret,
  type VaultErrorCode,
} from "../src/index.ts";

// Tests provide their own key (the process environment has none).
const keyring = Keyring.parse(generateKeyEntry(1));
const TOKEN = "sk-test-4f8a1c2e9b7d6a5f3e2d1c0b";
const NAME = "openai.api_key";

let db: TestDatabase;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const [a, b] = await Promise.all([
    db.system.organization.create({ data: { name: "A", slug: "vault-a" } }),
    db.system.organization.create({ data: { name: "B", slug: "vault-b" } }),
  ]);
  orgA = a.id;
  orgB = b.id;
});
afterAll(() => db.drop());

/** A tenant's transaction on the app client (RLS applies), as a request would run it. */
const asTenant = <T>(organizationId: string, fn: Parameters<typeof tenantTransaction<T>>[2]) =>
  tenantTransaction(db.app, { organizationId }, fn);

async function refusal(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function rawRow(organizationId: string, name: string) {
  return db.system.vaultSecret.findUniqueOrThrow({
    where: { organizationId_name: { organizationId, name } },
  });
}

describe("storing and reading", () => {
  it("stores version, nonce, ciphertext and tag; no column holds the plaintext", async () => {
    const description = await asTenant(orgA, (tx) =>
      putSecret(tx, { organizationId: orgA, name: NAME, plaintext: TOKEN }, keyring),
    );
    expect(description).toEqual({
      name: NAME,
      hint: "••••1c0b",
      keyVersion: 1,
      updatedAt: expect.any(Date) as unknown,
    });
    const row = await rawRow(orgA, NAME);
    expect(row).toMatchObject({ keyVersion: 1, hint: "1c0b", rotatedAt: null });
    expect(row.nonce).toHaveLength(12);
    expect(row.authTag).toHaveLength(16);
    const stored = await db.system.$queryRaw<{ text: string }[]>`
      SELECT row_to_json(v)::text AS text FROM vault_secrets v WHERE organization_id = ${orgA}`;
    expect(stored[0]?.text).not.toContain(TOKEN.slice(0, 12));
    expect(Buffer.from(row.ciphertext).toString("latin1")).not.toContain(TOKEN.slice(0, 12));

    const value = await asTenant(orgA, (tx) =>
      readSecret(tx, { organizationId: orgA, name: NAME }, keyring),
    );
    expect(value?.reveal()).toBe(TOKEN);
    expect(String(value)).toBe("[secret]");
  });

  it("describe and list answer exactly name, masked hint, key version and date", async () => {
    await asTenant(orgA, (tx) =>
      putSecret(tx, { organizationId: orgA, name: "github.token", plaintext: "short" }, keyring),
    );
    const one = await asTenant(orgA, (tx) =>
      describeSecret(tx, { organizationId: orgA, name: NAME }),
    );
    expect(Object.keys(one ?? {}).sort()).toEqual(["hint", "keyVersion", "name", "updatedAt"]);
    const all = await asTenant(orgA, (tx) => listSecrets(tx, { organizationId: orgA }));
    // Names in order; a short secret shows no characters at all.
    expect(all.map(({ name, hint }) => ({ name, hint }))).toEqual([
      { name: "github.token", hint: "••••" },
      { name: NAME, hint: "••••1c0b" },
    ]);
    for (const entry of all)
      expect(Object.keys(entry).sort()).toEqual(["hint", "keyVersion", "name", "updatedAt"]);
    expect(JSON.stringify(all)).not.toContain("short");
    expect(
      await asTenant(orgA, (tx) => describeSecret(tx, { organizationId: orgA, name: "nothing" })),
    ).toBeNull();
  });

  it("replacing re-encrypts with a new nonce in the same row and moves updatedAt", async () => {
    const before = await rawRow(orgA, NAME);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = "sk-test-replaced-value-9999";
    const description = await asTenant(orgA, (tx) =>
      putSecret(tx, { organizationId: orgA, name: NAME, plaintext: next }, keyring),
    );
    const after = await rawRow(orgA, NAME);
    expect(after.id).toBe(before.id);
    expect(after.createdAt).toEqual(before.createdAt);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(Buffer.from(after.nonce).equals(Buffer.from(before.nonce))).toBe(false);
    expect(description.hint).toBe("••••9999");
    const value = await asTenant(orgA, (tx) =>
      readSecret(tx, { organizationId: orgA, name: NAME }, keyring),
    );
    expect(value?.reveal()).toBe(next);
    await asTenant(orgA, (tx) =>
      putSecret(tx, { organizationId: orgA, name: NAME, plaintext: TOKEN }, keyring),
    );
  });

  it("deletes, answering whether there was a secret", async () => {
    await asTenant(orgA, (tx) =>
      putSecret(tx, { organizationId: orgA, name: "to.delete", plaintext: TOKEN }, keyring),
    );
    expect(
      await asTenant(orgA, (tx) => deleteSecret(tx, { organizationId: orgA, name: "to.delete" })),
    ).toBe(true);
    expect(
      await asTenant(orgA, (tx) => deleteSecret(tx, { organizationId: orgA, name: "to.delete" })),
    ).toBe(false);
    expect(
      await asTenant(orgA, (tx) =>
        readSecret(tx, { organizationId: orgA, name: "to.delete" }, keyring),
      ),
    ).toBeNull();
  });
});

describe("tampering with the stored row is refused with DECRYPTION_FAILED", () => {
  const read = (organizationId: string, name: string) =>
    asTenant(organizationId, (tx) => readSecret(tx, { organizationId, name }, keyring));

  for (const column of ["ciphertext", "nonce", "auth_tag"] as const) {
    it(`a flipped byte in ${column}`, async () => {
      const name = `tamper.${column}`;
      await asTenant(orgA, (tx) =>
        putSecret(tx, { organizationId: orgA, name, plaintext: TOKEN }, keyring),
      );
      // Flip the low bit of the first byte, in SQL, as someone with database access would.
      await db.system.$executeRawUnsafe(
        `UPDATE vault_secrets SET ${column} = set_byte(${column}, 0, get_byte(${column}, 0) # 1)
         WHERE organization_id = $1 AND name = $2`,
        orgA,
        name,
      );
      const error = await refusal(read(orgA, name));
      expect(error.code).toBe<VaultErrorCode>("DECRYPTION_FAILED");
      expect(error.message).not.toMatch(/authenticate|openssl|bad decrypt/i);
    });
  }

  it("the additional data: a ciphertext copied to another name or another organization", async () => {
    const source = await rawRow(orgA, NAME);
    const copy = {
      keyVersion: source.keyVersion,
      nonce: source.nonce,
      ciphertext: source.ciphertext,
      authTag: source.authTag,
      hint: source.hint,
    };
    await db.system.vaultSecret.create({
      data: { ...copy, organizationId: orgA, name: "copied.to.name" },
    });
    await db.system.vaultSecret.create({ data: { ...copy, organizationId: orgB, name: NAME } });
    expect((await refusal(read(orgA, "copied.to.name"))).code).toBe("DECRYPTION_FAILED");
    expect((await refusal(read(orgB, NAME))).code).toBe("DECRYPTION_FAILED");
    // The original still reads.
    expect((await read(orgA, NAME))?.reveal()).toBe(TOKEN);
    await db.system.vaultSecret.deleteMany({ where: { organizationId: orgB } });
  });
});

describe("tenancy", () => {
  it("a tenant's transaction cannot read, list, replace or delete another tenant's secret", async () => {
    await asTenant(orgB, (tx) =>
      putSecret(tx, { organizationId: orgB, name: "b.secret", plaintext: TOKEN }, keyring),
    );
    // Organization A's transaction naming B's organization: row-level security hides B's rows.
    const b = { organizationId: orgB, name: "b.secret" };
    expect(await asTenant(orgA, (tx) => readSecret(tx, b, keyring))).toBeNull();
    expect(await asTenant(orgA, (tx) => describeSecret(tx, b))).toBeNull();
    expect(await asTenant(orgA, (tx) => listSecrets(tx, { organizationId: orgB }))).toEqual([]);
    expect(await asTenant(orgA, (tx) => deleteSecret(tx, b))).toBe(false);
    await expect(
      asTenant(orgA, (tx) => putSecret(tx, { ...b, plaintext: "overwrite" }, keyring)),
    ).rejects.toThrow(/row-level security/);
    expect((await asTenant(orgB, (tx) => readSecret(tx, b, keyring)))?.reveal()).toBe(TOKEN);
    // And B's list holds only B's.
    const listed = await asTenant(orgB, (tx) => listSecrets(tx, { organizationId: orgB }));
    expect(listed.map((s) => s.name)).toEqual(["b.secret"]);
  });
});

describe("bad input is refused with INVALID_INPUT and writes nothing", () => {
  const cases: [string, { organizationId?: string; name?: string; plaintext?: unknown }, string][] =
    [
      ["a NUL in the value", { plaintext: "abc\0def" }, "plaintext"],
      ["a lone surrogate in the value", { plaintext: "abc\uD800def" }, "plaintext"],
      ["an empty value", { plaintext: "" }, "plaintext"],
      ["a 64 KiB + 1 value", { plaintext: "x".repeat(65_537) }, "plaintext"],
      ["a number as value", { plaintext: 42 }, "plaintext"],
      ["a name with a NUL", { name: "a\0b" }, "name"],
      ["an upper-case name", { name: "OpenAI" }, "name"],
      ["a 101-character name", { name: "a".repeat(101) }, "name"],
      ["a malformed organization id", { organizationId: "' OR 1=1 --" }, "organizationId"],
    ];
  for (const [label, change, field] of cases) {
    it(label, async () => {
      const input = { organizationId: orgA, name: "bad.input", plaintext: TOKEN, ...change };
      const error = await refusal(
        asTenant(orgA, (tx) => putSecret(tx, input as Parameters<typeof putSecret>[1], keyring)),
      );
      expect(error.code).toBe("INVALID_INPUT");
      expect(error.issues.map((issue) => issue.field)).toEqual([field]);
      // The refusal never repeats the value it refused.
      expect(JSON.stringify(error.issues)).not.toContain("abc");
      expect(await db.system.vaultSecret.count({ where: { name: "bad.input" } })).toBe(0);
    });
  }

  it("reads with a malformed name or organization id are refused the same way", async () => {
    for (const input of [
      { organizationId: orgA, name: "Bad Name" },
      { organizationId: "not-an-id", name: NAME },
    ]) {
      const error = await refusal(asTenant(orgA, (tx) => readSecret(tx, input, keyring)));
      expect(error.code).toBe("INVALID_INPUT");
    }
  });
});
