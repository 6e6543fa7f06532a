// Sliding-window counts in Redis, shared by every gateway instance: one hash per key
// ({window, previous, current}), rolled forward, checked and incremented by one Lua script
// (atomic: Redis runs a script alone). The clock is Redis's own (TIME), so instances with
// skewed clocks still agree on the window. The key is wrapped in {…} (a Redis Cluster hash
// tag) and the script touches only that key.
import type { Redis } from "ioredis";
import type { RateLimitPolicy, RateLimitStore, WindowCounts } from "./sliding-window.ts";

const SCRIPT = `
local window_ms = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = math.floor(now / window_ms)
local stored = redis.call('HMGET', KEYS[1], 'w', 'p', 'c')
local previous, current = 0, 0
local stored_window = tonumber(stored[1])
if stored_window == window then
  previous = tonumber(stored[2]) or 0
  current = tonumber(stored[3]) or 0
elseif stored_window == window - 1 then
  previous = tonumber(stored[3]) or 0
end
local estimate = previous * (1 - (now % window_ms) / window_ms) + current
local allowed = 0
if estimate + cost <= limit then
  allowed = 1
  current = current + cost
end
redis.call('HSET', KEYS[1], 'w', window, 'p', previous, 'c', current)
redis.call('PEXPIRE', KEYS[1], window_ms * 2)
return {allowed, previous, current, now}
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
      if (!Array.isArray(reply) || reply.length !== 4 || !reply.every(Number.isInteger)) {
        throw new Error("Unexpected reply from the rate-limit script");
      }
      const [allowed, previous, current, now] = reply as number[];
      return { allowed: allowed === 1, previous: previous!, current: current!, now: now! };
    },
  };
}
