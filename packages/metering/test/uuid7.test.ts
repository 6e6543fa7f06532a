// Edge-made event ids: RFC 9562 version 7 (time-ordered), unique.
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/uuid7.ts";

describe("uuidv7", () => {
  it("has version 7, the RFC variant and the time in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 1, 12, 30);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by time across milliseconds and never repeats", () => {
    const ids = Array.from({ length: 2_000 }, (_, i) =>
      uuidv7(1_700_000_000_000 + Math.floor(i / 100)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const firstOfEachMs = ids.filter((_, i) => i % 100 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
    // 20,000 ids across the random pool's refills stay unique.
    expect(new Set(Array.from({ length: 20_000 }, () => uuidv7())).size).toBe(20_000);
  });
});
