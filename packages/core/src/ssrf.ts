// The SSRF guard for outbound calls to URLs a tenant chose (webhook endpoints, an AI provider's
// base URL): only public unicast addresses. The destination is checked where it is connected
// to, not before: an IP-literal URL is checked as written, a host name through the
// connection's own DNS lookup (every address it resolves to must be public, and the socket
// connects to one of those very addresses, so a rebinding answer between a check and the
// connect cannot slip through). `checkPublicDestination` is the same rule ahead of time, for a
// typed refusal when the URL is saved. Each caller decides when the guard is off (development
// and tests, whose servers run on this machine).
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export class DestinationRefusedError extends Error {
  override readonly name = "DestinationRefusedError";
  readonly code = "DESTINATION_REFUSED";
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`Refused: ${host} is a private, loopback or link-local address (${address})`);
  }
}

/** Whether `address` (an IP literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return false;
  let parsed = ipaddr.parse(bare);
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) {
    parsed = parsed.toIPv4Address();
  }
  return parsed.range() === "unicast";
}

/** Refuses an IP-literal host that is not public (Node does no lookup for those). */
export function checkLiteralHost(hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(bare) && !isPublicAddress(bare)) {
    throw new DestinationRefusedError(hostname, bare);
  }
}

/** dns.lookup that fails when any address of the name is not public. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, "");
      return;
    }
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    const first = addresses[0];
    if (refused || !first) {
      const refusal = new DestinationRefusedError(hostname, refused?.address ?? "none");
      callback(Object.assign(refusal, { errno: undefined, syscall: "lookup" }), "");
      return;
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
};

/** The guard's refusal somewhere in an error's cause chain (HTTP clients wrap it). */
export function destinationRefusal(error: unknown): DestinationRefusedError | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof DestinationRefusedError) return current;
    current = current instanceof Error ? current.cause : null;
  }
  return null;
}

/**
 * Ahead of time: the URL's host is a public literal, or a name whose every address is public.
 * Answers the refusal (or the lookup failure: a name that does not resolve) instead of throwing.
 */
export async function checkPublicDestination(
  url: URL,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(hostname)) {
    return isPublicAddress(hostname)
      ? { ok: true }
      : { ok: false, reason: new DestinationRefusedError(url.hostname, hostname).message };
  }
  let addresses: { address: string }[];
  try {
    addresses = await dns.promises.lookup(hostname, { all: true });
  } catch {
    return { ok: false, reason: `${hostname} does not resolve` };
  }
  const refused = addresses.find((entry) => !isPublicAddress(entry.address));
  if (refused || addresses.length === 0) {
    return {
      ok: false,
      reason: new DestinationRefusedError(hostname, refused?.address ?? "none").message,
    };
  }
  return { ok: true };
}
