// The sliding-window counter on the memory store with a fake clock: the limit holds, a window
// edge allows no double burst, Retry-After is exact (waiting it out succeeds, a moment
// earlier does not), `t` equals Retry-After on a 429 and never exceeds the window, the
// headers, and the store's size bound.
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
    clock.now = T0 + 60_500; // just past the edge: the burst is still inside the last 60 s
    expect(await burst(limiter, 10)).toBe(0);
    clock.now = T0 + 90_000; // a burst weighs in fully until it is a window old
    expect(await burst(limiter, 10)).toBe(0);
    clock.now = T0 + 118_999;
    expect(await burst(limiter, 1)).toBe(0);
    clock.now = T0 + 119_000; // (T0+59 s, T0+119 s] no longer holds it
    expect(await burst(limiter, 10)).toBe(10);
  });

  it("slides steady traffic out linearly", async () => {
    const { clock, limiter } = setup();
    for (let i = 0; i < 10; i++) {
      clock.now = T0 + i * 6_000; // T0 … T0+54 s
      expect((await limiter.consume("k", TRIAL)).allowed).toBe(true);
    }
    clock.now = T0 + 87_000; // half of [T0, T0+54 s] is older than 60 s
    expect(await burst(limiter, 10)).toBe(5);
  });

  it("answers remaining, reset and an exact Retry-After", async () => {
    const { clock, limiter } = setup(T0 + 30_000);
    const first = await limiter.consume("k", TRIAL);
    expect(first).toMatchObject({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
    // Counted at T0+30 s: out of the sliding window at T0+90 s.
    expect(first.resetSeconds).toBe(60);
    await burst(limiter, 9);
    const refused = await limiter.consume("k", TRIAL);
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    // 10 calls at T0+30 s: one slot frees when they are a window old.
    expect(refused.retryAfterSeconds).toBe(60);
    expect(refused.resetSeconds).toBe(60);
    clock.now += 59_999;
    expect((await limiter.consume("k", TRIAL)).allowed).toBe(false);
    clock.now += 1;
    expect((await limiter.consume("k", TRIAL)).allowed).toBe(true);
  });

  it("answers t = Retry-After on a refusal, t ≤ the window always, and Retry-After suffices", async () => {
    // Traffic patterns that made the textbook estimate answer t up to 2 windows (a 429 with
    // `t=67` and `Retry-After: 13`) or a Retry-After above the window (a burst early in one).
    const patterns = [
      { start: T0 + 1_000, gapMs: 100, calls: 14 }, // burst early in a window
      { start: T0 + 47_000, gapMs: 700, calls: 30 }, // across an edge
      { start: T0 + 20_000, gapMs: 5_500, calls: 40 }, // steady, just above the limit
      { start: T0 + 59_900, gapMs: 10, calls: 25 },
    ];
    let refusals = 0;
    for (const [index, pattern] of patterns.entries()) {
      const { clock, limiter } = setup(pattern.start);
      for (let i = 0; i < pattern.calls; i++) {
        clock.now = pattern.start + i * pattern.gapMs;
        const result = await limiter.consume(`k${index}`, TRIAL);
        expect(result.resetSeconds).toBeLessThanOrEqual(TRIAL.windowSeconds);
        if (result.allowed) continue;
        refusals++;
        expect(result.resetSeconds).toBe(result.retryAfterSeconds);
        const headers = rateLimitHeaders(result);
        expect(headers.RateLimit).toBe(`"api";r=0;t=${headers["Retry-After"]}`);
        expect(Number(headers["X-RateLimit-Reset"])).toBe(
          Math.ceil(clock.now / 1000 + result.retryAfterSeconds),
        );
        // Waiting Retry-After (in a copy of the state: a probe key replays the same calls) works.
        const probe = setup(pattern.start);
        for (let j = 0; j <= i; j++) {
          probe.clock.now = pattern.start + j * pattern.gapMs;
          await probe.limiter.consume("p", TRIAL);
        }
        probe.clock.now = clock.now + result.retryAfterSeconds * 1000;
        expect((await probe.limiter.consume("p", TRIAL)).allowed).toBe(true);
      }
    }
    expect(refusals).toBeGreaterThan(10);
  });

  it("renders the IETF RateLimit / RateLimit-Policy headers, the X- trio and Retry-After", async () => {
    const { limiter } = setup(T0 + 30_000);
    const allowed = await limiter.consume("k", TRIAL);
    expect(rateLimitHeaders(allowed)).toEqual({
      "RateLimit-Policy": '"api";q=10;w=60',
      RateLimit: '"api";r=9;t=60',
      "X-RateLimit-Limit": "10",
      "X-RateLimit-Remaining": "9",
      "X-RateLimit-Reset": String((T0 + 30_000) / 1000 + 60),
    });
    await burst(limiter, 9);
    const refused = rateLimitHeaders(await limiter.consume("k", TRIAL));
    expect(refused["Retry-After"]).toBe("60");
    expect(refused.RateLimit).toBe('"api";r=0;t=60');
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
