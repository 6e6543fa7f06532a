// The key format: prefix, length, checksum; a mistyped key never parses.
import { describe, expect, it } from "vitest";
import {
  API_KEY_LENGTH,
  bearerToken,
  generateApiKey,
  hashApiKey,
  maskApiKey,
  parseApiKey,
} from "../src/format.ts";

describe("API key format", () => {
  it("is plk_live_/plk_test_ + 43 base62 characters + a 6-character checksum", () => {
    const live = generateApiKey("live");
    const test = generateApiKey("test");
    expect(live.key).toMatch(/^plk_live_[0-9A-Za-z]{49}$/);
    expect(test.key).toMatch(/^plk_test_[0-9A-Za-z]{49}$/);
    expect(live.key).toHaveLength(API_KEY_LENGTH);
    expect(API_KEY_LENGTH).toBe(58);
    expect(parseApiKey(live.key)).toEqual({ key: live.key, environment: "live" });
    expect(parseApiKey(test.key)).toEqual({ key: test.key, environment: "test" });
  });

  it("describes itself for lists without the secret: prefix + 4, last 4, SHA-256", () => {
    const generated = generateApiKey();
    expect(generated.prefix).toBe(generated.key.slice(0, 13));
    expect(generated.lastFour).toBe(generated.key.slice(-4));
    expect(maskApiKey(generated)).toBe(`${generated.key.slice(0, 13)}…${generated.key.slice(-4)}`);
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generated.hash).toBe(hashApiKey(generated.key));
    expect(generated.hash).not.toContain(generated.key.slice(9, 52));
  });

  it("draws 32 random bytes per key (no repeats, every position varies)", () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey().key);
    expect(new Set(keys).size).toBe(keys.length);
    for (let position = 9; position < 52; position++) {
      expect(new Set(keys.map((key) => key[position])).size).toBeGreaterThan(40);
    }
  });

  it("refuses every single-character typo and every swap of two neighbours", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (let round = 0; round < 5; round++) {
      const { key } = generateApiKey(round % 2 ? "test" : "live");
      let tried = 0;
      for (let position = 9; position < key.length; position++) {
        for (const replacement of alphabet) {
          if (replacement === key[position]) continue;
          const typo = key.slice(0, position) + replacement + key.slice(position + 1);
          expect(parseApiKey(typo)).toBeNull();
          tried++;
        }
        const next = key[position + 1];
        if (next !== undefined && next !== key[position]) {
          const swapped = key.slice(0, position) + next + key[position] + key.slice(position + 2);
          expect(parseApiKey(swapped)).toBeNull();
          tried++;
        }
      }
      expect(tried).toBeGreaterThan(3000);
    }
  });

  it("refuses other shapes: wrong prefix, truncated, padded, foreign characters, non-strings", () => {
    const { key } = generateApiKey();
    const cases: unknown[] = [
      key.replace("plk_live_", "plk_prod_"),
      key.replace("plk_live_", "pk_live_x"),
      key.slice(0, -1),
      `${key}0`,
      ` ${key.slice(1)}`,
      `${key.slice(0, 20)}-${key.slice(21)}`,
      `${key.slice(0, 20)}é${key.slice(21)}`,
      key.toUpperCase(),
      "",
      null,
      undefined,
      42,
      { key },
    ];
    for (const candidate of cases) expect(parseApiKey(candidate)).toBeNull();
  });

  it("reads the key from an Authorization header", () => {
    const { key } = generateApiKey();
    expect(bearerToken(`Bearer ${key}`)).toBe(key);
    expect(bearerToken(`bearer  ${key}`)).toBe(key);
    expect(bearerToken(`Basic ${key}`)).toBeNull();
    expect(bearerToken(`Bearer ${key} extra`)).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
