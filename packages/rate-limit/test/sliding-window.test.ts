// The sliding-window counter on the memory store with a fake clock: the limit holds, a window
// edge allows no double burst, Retry-After is exact (waiting it out succeeds, a moment
// earlier does not), the headers, and the store's size bound.
import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createRateLimiter,
  rateLimitHeaders,
  type RateLimitPolicy,
} from "../src/index.ts";

const TRIAL: RateLimitPolicy = { name: "api", limit: 10, windowSeconds: 60 };
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0); // a window edge for 60 s windows

function setup(start = T0) {
  const clock = { now: start };
  const store = createMemoryStore({ now: () => clock.now });
  return { clock, store, limiter: createRateLimiter({ store }) };
}

async function burst(limiter: ReturnType<typeof setup>["limiter"], n: number, key = "k") {
  let allowed = 0;
  for (let i = 0; i < n; i++) if ((await limiter.consume(key, TRIAL)).allowed) allowed++;
  return allowed;
}

describe("sliding window (memory)", () => {
  it("allows `limit` calls per window and refuses the rest, per key", async () => {
    const { limiter } = setup();
    expect(await burst(limiter, 40)).toBe(10);
    expect(await burst(limiter, 5, "other")).toBe(5);
  });

  it("gives no double burst across a window edge (a fixed window would allow 20)", async () => {
    const { clock, limiter } = setup(T0 + 59_000);
    expect(await burst(limiter, 10)).toBe(10);
    clock.now = T0 + 60_500; // just past the edge: the previous window still weighs ~99%
    expect(await burst(limiter, 10)).toBe(0);
    clock.now = T0 + 90_000; // half-way: half of the previous window has slid out
    expect(await burst(limiter, 10)).toBe(5);
  });

  it("answers remaining, reset and an exact Retry-After", async () => {
    const { clock, limiter } = setup(T0 + 30_000);
    const first = await limiter.consume("k", TRIAL);
    expect(first).toMatchObject({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
    // Counted at T0+30 s: full weight until T0+60 s, slid out at T0+120 s.
    expect(first.resetSeconds).toBe(90);
    await burst(limiter, 9);
    const refused = await limiter.consume("k", TRIAL);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    // 10 calls in the window; one slot frees when 10 × (1 − f) ≤ 9 in the next window: f ≥ 0.1.
    expect(refused.retryAfterSeconds).toBe(36);
    clock.now += 35_000;
    expect((await limiter.consume("k", TRIAL)).allowed).toBe(false);
    clock.now += 1_000;
    expect((await limiter.consume("k", TRIAL)).allowed).toBe(true);
  });

  it("renders the IETF RateLimit / RateLimit-Policy headers, the X- trio and Retry-After", async () => {
    const { limiter } = setup(T0 + 30_000);
    const allowed = await limiter.consume("k", TRIAL);
    expect(rateLimitHeaders(allowed)).toEqual({
      "RateLimit-Policy": '"api";q=10;w=60',
      RateLimit: '"api";r=9;t=90',
      "X-RateLimit-Limit": "10",
      "X-RateLimit-Remaining": "9",
      "X-RateLimit-Reset": String((T0 + 30_000) / 1000 + 90),
    });
    await burst(limiter, 9);
    const refused = rateLimitHeaders(await limiter.consume("k", TRIAL));
    expect(refused["Retry-After"]).toBe("36");
    expect(refused.RateLimit).toBe('"api";r=0;t=90');
  });

  it("counts a cost above 1 and never admits a cost above the limit", async () => {
    const { limiter } = setup();
    expect((await limiter.consume("k", TRIAL, 7)).remaining).toBe(3);
    expect((await limiter.consume("k", TRIAL, 4)).allowed).toBe(false);
    expect((await limiter.consume("k", TRIAL, 3)).allowed).toBe(true);
    const tooBig = await limiter.consume("j", TRIAL, 11);
    expect(tooBig.allowed).toBe(false);
    expect(rateLimitHeaders(tooBig)["Retry-After"]).toBeUndefined();
  });

  it("keeps at most maxKeys keys, and refuses an invalid policy", async () => {
    const store = createMemoryStore({ maxKeys: 100 });
    const limiter = createRateLimiter({ store });
    for (let i = 0; i < 500; i++) await limiter.consume(`ip-${i}`, TRIAL);
    expect(store.size).toBe(100);
    await expect(limiter.consume("k", { ...TRIAL, name: 'a"b' })).rejects.toThrow(/policy name/);
    await expect(limiter.consume("k", { ...TRIAL, limit: 0 })).rejects.toThrow(/limit/);
  });
});
