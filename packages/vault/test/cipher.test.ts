// AES-256-GCM sealing: round trip, a fresh nonce each time, and every kind of tampering
// refused with a typed error that carries no detail. Plaintext never prints.
import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { open, seal, type SealedSecret } from "../src/cipher.ts";
import { Keyring, SecretValue, VaultError, generateKeyEntry } from "../src/index.ts";

const v1 = generateKeyEntry(1);
const keyring = Keyring.parse(v1);
const binding = { organizationId: "cm0orgaaaaaaaaaaaaaaaaaaa", name: "openai.api_key" };
const PLAINTEXT = "sk-live-0123456789abcdef-ünïcødé-🔑";

function refusal(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

function flipped(bytes: Uint8Array, index: number): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe("seal and open", () => {
  it("round-trips text (any Unicode) and uses a new 96-bit nonce every time", () => {
    const first = seal(keyring, binding, PLAINTEXT);
    const second = seal(keyring, binding, PLAINTEXT);
    expect(first.keyVersion).toBe(1);
    expect(first.nonce).toHaveLength(12);
    expect(first.authTag).toHaveLength(16);
    expect(Buffer.from(first.nonce).equals(Buffer.from(second.nonce))).toBe(false);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
    expect(Buffer.from(first.ciphertext).toString("utf8")).not.toContain("sk-live");
    expect(open(keyring, binding, first).reveal()).toBe(PLAINTEXT);
    expect(open(keyring, binding, second).reveal()).toBe(PLAINTEXT);
  });

  describe("a flipped byte is refused with DECRYPTION_FAILED", () => {
    const sealed = seal(keyring, binding, PLAINTEXT);
    const fields = ["ciphertext", "nonce", "authTag"] as const;
    for (const field of fields) {
      it(`in the ${field} (first, middle and last byte)`, () => {
        const length = sealed[field].length;
        for (const index of [0, Math.floor(length / 2), length - 1]) {
          const tampered: SealedSecret = { ...sealed, [field]: flipped(sealed[field], index) };
          const error = refusal(() => open(keyring, binding, tampered));
          expect(error.code).toBe("DECRYPTION_FAILED");
          // No detail: the fixed message, no cause, nothing from OpenSSL.
          expect(error.message).toBe("The secret could not be decrypted");
          expect(error.cause).toBeUndefined();
        }
      });
    }

    it("in the additional data: another organization, another name, another key version", () => {
      for (const other of [
        { ...binding, organizationId: "cm0orgbbbbbbbbbbbbbbbbbbb" },
        { ...binding, name: "openai.api_kez" },
      ]) {
        expect(refusal(() => open(keyring, other, sealed)).code).toBe("DECRYPTION_FAILED");
      }
      // The same key material filed under another version: the version is authenticated too.
      const relabelled = Keyring.parse(v1.replace(/^v1:/, "v2:"));
      const asV2 = { ...sealed, keyVersion: 2 };
      expect(refusal(() => open(relabelled, binding, asV2)).code).toBe("DECRYPTION_FAILED");
    });

    it("a truncated tag or nonce, and a wrong key under the right version", () => {
      for (const tampered of [
        { ...sealed, authTag: sealed.authTag.slice(0, 12) },
        { ...sealed, nonce: sealed.nonce.slice(0, 8) },
      ]) {
        expect(refusal(() => open(keyring, binding, tampered)).code).toBe("DECRYPTION_FAILED");
      }
      const otherKey = Keyring.parse(generateKeyEntry(1));
      expect(refusal(() => open(otherKey, binding, sealed)).code).toBe("DECRYPTION_FAILED");
    });
  });

  it("refuses a version the keyring does not hold with KEY_UNAVAILABLE", () => {
    const sealed = seal(keyring, binding, PLAINTEXT);
    const withoutV1 = Keyring.parse(generateKeyEntry(2));
    expect(refusal(() => open(withoutV1, binding, sealed)).code).toBe("KEY_UNAVAILABLE");
  });
});

describe("SecretValue", () => {
  it('says "[secret]" however it is turned into text, and reveals only on request', () => {
    const value = new SecretValue(PLAINTEXT);
    const printed = [
      String(value),
      // The point of the test: SecretValue in a template and after `+` prints "[secret]".
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions
      `${value}`,
      // eslint-disable-next-line @typescript-eslint/restrict-plus-operands
      "" + value,
      JSON.stringify({ token: value }),
      inspect(value),
      inspect({ nested: { value } }, { depth: 5 }),
    ];
    for (const text of printed) {
      expect(text).toContain("[secret]");
      expect(text).not.toContain("sk-live");
    }
    expect(Object.keys(value)).toEqual([]);
    expect(value.reveal()).toBe(PLAINTEXT);
  });

  it("a console (what loggers print through) shows no plaintext, nested or not", () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const console = new Console({ stdout: sink, stderr: sink });
    console.log(new SecretValue(PLAINTEXT));
    console.error("token:", { token: new SecretValue(PLAINTEXT) });
    console.table([{ token: new SecretValue(PLAINTEXT) }]);
    const output = chunks.join("");
    expect(output).toContain("[secret]");
    expect(output).not.toContain("sk-live");
  });
});
