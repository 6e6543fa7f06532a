// Client IP and user agent from request headers. Behind a proxy the first hop of
// X-Forwarded-For is the client (the proxy must overwrite, not append to, what clients send).
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim() || null;
  return ip ? ip.slice(0, 64) : null;
}
