// ENCRYPTION_KEYS parsing: the first entry is current, keys are 32 bytes, versions unique, and
// neither a refusal nor the keyring itself ever shows key material.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Keyring, VaultError, generateKeyEntry, parseVaultKeyring } from "../src/index.ts";
import { LOCAL_KEYS_FILE, localEncryptionKeys } from "../src/local-keys.ts";

const key = (bytes = 32) => randomBytes(bytes).toString("base64");

function refusal(text: string): VaultError {
  try {
    Keyring.parse(text);
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("Keyring.parse", () => {
  it("takes the first entry as current and keeps every version for decryption", () => {
    const keyring = Keyring.parse(`v2:${key()}, v1:${key()}`);
    expect(keyring.current).toBe(2);
    expect(keyring.versions).toEqual([2, 1]);
    expect(keyring.key(1)).toBeDefined();
    expect(keyring.key(3)).toBeUndefined();
  });

  it("accepts unpadded and URL-safe base64", () => {
    const bytes = randomBytes(32);
    const urlSafe = bytes.toString("base64url");
    expect(Keyring.parse(`v1:${urlSafe}`).current).toBe(1);
    expect(Keyring.parse(`v5:${bytes.toString("base64").replace(/=+$/, "")}`).current).toBe(5);
  });

  it.each([
    ["an empty value", ""],
    ["no version", key()],
    ["version 0", `v0:${key()}`],
    ["a 16-byte key", `v1:${key(16)}`],
    ["a 33-byte key", `v1:${key(33)}`],
    ["not base64", `v1:${"!".repeat(44)}`],
    ["a trailing comma", `v1:${key()},`],
  ])("refuses %s", (_label, text) => {
    const error = refusal(text);
    expect(error.code).toBe("NOT_CONFIGURED");
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it("refuses a repeated version or a repeated key, naming the entry", () => {
    const same = key();
    expect(refusal(`v2:${key()},v2:${key()}`).issues).toEqual([
      { field: "ENCRYPTION_KEYS entry 2", message: "version v2 repeats" },
    ]);
    expect(refusal(`v2:${same},v1:${same}`).issues).toEqual([
      { field: "ENCRYPTION_KEYS entry 2", message: "the same key appears twice" },
    ]);
  });

  it("never shows key material: not in a refusal, not when the keyring is printed", () => {
    const material = key(31); // almost right: the kind of typo a message might echo
    const error = refusal(`v1:${material}`);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(
      material.slice(0, 12),
    );
    const good = key();
    const keyring = Keyring.parse(`v3:${good}`);
    for (const printed of [String(keyring), JSON.stringify({ keyring }), inspect(keyring)]) {
      expect(printed).toContain("v3");
      expect(printed).not.toContain(good.slice(0, 12));
    }
  });

  it("generateKeyEntry makes entries it accepts", () => {
    const entry = generateKeyEntry(7);
    expect(entry).toMatch(/^v7:/);
    expect(Keyring.parse(`${entry},${generateKeyEntry(6)}`).versions).toEqual([7, 6]);
  });
});

describe("parseVaultKeyring", () => {
  it("refuses an unset or empty ENCRYPTION_KEYS with NOT_CONFIGURED", () => {
    for (const source of [{}, { ENCRYPTION_KEYS: "" }, { ENCRYPTION_KEYS: "  " }]) {
      expect(() => parseVaultKeyring(source)).toThrowError(
        expect.objectContaining({ code: "NOT_CONFIGURED" }),
      );
    }
    expect(parseVaultKeyring({ ENCRYPTION_KEYS: `v1:${key()}` }).current).toBe(1);
  });
});

describe("the development key (.plinth/encryption-keys)", () => {
  it("lives in the git-ignored .plinth folder", () => {
    expect(LOCAL_KEYS_FILE.endsWith(path.join(".plinth", "encryption-keys"))).toBe(true);
  });

  it("is generated once (owner-only file), then read back unchanged", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "plinth-vault-keys-"));
    try {
      const file = path.join(dir, ".plinth", "encryption-keys");
      const first = await localEncryptionKeys(file);
      expect(Keyring.parse(first).versions).toEqual([1]);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await localEncryptionKeys(file)).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
