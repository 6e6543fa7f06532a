// The answer's rate-limit headers:
//   RateLimit-Policy: "api";q=100;w=60      (draft-ietf-httpapi-ratelimit-headers, -08 on:
//   RateLimit: "api";r=42;t=17               quota q per w seconds; r remaining, t seconds
//                                             until the quota frees: ≤ w, = Retry-After on a 429)
//   X-RateLimit-Limit / -Remaining / -Reset  (the de facto trio; Reset is epoch seconds, as
//                                             GitHub and most clients read it: the same instant)
//   Retry-After: 3                           (refusals only, seconds)
import type { RateLimitResult } from "./sliding-window.ts";

export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const { policy } = result;
  const headers: Record<string, string> = {
    "RateLimit-Policy": `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`,
    RateLimit: `"${policy.name}";r=${result.remaining};t=${result.resetSeconds}`,
    "X-RateLimit-Limit": String(policy.limit),
    "X-RateLimit-Remaining": String(result.remaining),
    "X-RateLimit-Reset": String(Math.ceil(result.at.getTime() / 1000 + result.resetSeconds)),
  };
  if (!result.allowed && Number.isFinite(result.retryAfterSeconds)) {
    headers["Retry-After"] = String(result.retryAfterSeconds);
  }
  return headers;
}
