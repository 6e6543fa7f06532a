// Sliding-window counts in Redis, shared by every gateway instance: one hash per key
// ({window, previous, current}), rolled forward, checked and incremented by one Lua script
// (atomic: Redis runs a script alone). The clock is Redis's own (TIME), so instances with
// skewed clocks still agree on the window. The key is wrapped in {…} (a Redis Cluster hash
// tag) and the script touches only that key.
import type { Redis } from "ioredis";
import type { RateLimitPolicy, RateLimitStore, WindowCounts } from "./sliding-window.ts";

// Fields: w window index; p, pf, pl the previous window's count, first and last hit (ms);
// c, cf, cl the current window's. A hash written before first/last were kept (w, p, c only)
// reads as spread over its whole window (the textbook estimate) for the one window it lasts.
const SCRIPT = `
local window_ms = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = math.floor(now / window_ms)
local s = redis.call('HMGET', KEYS[1], 'w', 'p', 'c', 'pf', 'pl', 'cf', 'cl')
local stored_window = tonumber(s[1])
local p, pf, pl, c, cf, cl = 0, 0, 0, 0, 0, 0
if stored_window == window then
  p = tonumber(s[2]) or 0
  c = tonumber(s[3]) or 0
  pf = tonumber(s[4]) or (window - 1) * window_ms
  pl = tonumber(s[5]) or window * window_ms - 1
  cf = tonumber(s[6]) or window * window_ms
  cl = tonumber(s[7]) or now
elseif stored_window == window - 1 then
  p = tonumber(s[3]) or 0
  pf = tonumber(s[6]) or (window - 1) * window_ms
  pl = tonumber(s[7]) or window * window_ms - 1
end
local from = now - window_ms
local weight = 0
if from < pf then
  weight = 1
elseif from < pl then
  weight = (pl - from) / (pl - pf)
end
local allowed = 0
if p * weight + c + cost <= limit then
  allowed = 1
  if c == 0 then cf = now end
  cl = now
  c = c + cost
end
redis.call('HSET', KEYS[1], 'w', window, 'p', p, 'c', c, 'pf', pf, 'pl', pl, 'cf', cf, 'cl', cl)
redis.call('PEXPIRE', KEYS[1], window_ms * 2)
return {allowed, p, c, now, pf, pl, cf, cl}
`;

export interface RedisStoreOptions {
  redis: Redis;
  /** Namespaces the keys (default "plinth:rl"). */
  prefix?: string;
}

export function createRedisStore(options: RedisStoreOptions): RateLimitStore {
  const prefix = options.prefix ?? "plinth:rl";
  const { redis } = options;
  let sha: string | null = null;

  async function run(key: string, args: number[]): Promise<unknown> {
    sha ??= String(await redis.script("LOAD", SCRIPT));
    try {
      return await redis.evalsha(sha, 1, key, ...args);
    } catch (error) {
      // After a Redis restart (or SCRIPT FLUSH) the script must be loaded again.
      if (!String(error).includes("NOSCRIPT")) throw error;
      sha = null;
      return redis.eval(SCRIPT, 1, key, ...args);
    }
  }

  return {
    async hit(key: string, policy: RateLimitPolicy, cost: number): Promise<WindowCounts> {
      const reply = await run(`${prefix}:${policy.windowSeconds}:{${key}}`, [
        policy.windowSeconds * 1000,
        policy.limit,
        cost,
      ]);
      if (!Array.isArray(reply) || reply.length !== 8 || !reply.every(Number.isInteger)) {
        throw new Error("Unexpected reply from the rate-limit script");
      }
      const [
        allowed,
        previous,
        current,
        now,
        previousFirst,
        previousLast,
        currentFirst,
        currentLast,
      ] = reply as [number, number, number, number, number, number, number, number];
      return {
        allowed: allowed === 1,
        previous,
        current,
        now,
        previousFirst,
        previousLast,
        currentFirst,
        currentLast,
      };
    },
  };
}
