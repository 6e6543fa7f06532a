// The SSRF guard: a delivery reaches only public unicast addresses. The destination is checked
// where it is connected to, not before: an IP-literal URL is checked as written, a host name
// through the connection's own DNS lookup (every address it resolves to must be public, and
// the socket connects to one of those very addresses, so a rebinding answer between a check
// and the connect cannot slip through). WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true (development,
// tests) turns it off.
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export class DestinationRefusedError extends Error {
  override readonly name = "DestinationRefusedError";
  readonly code = "WEBHOOK_DESTINATION_REFUSED";
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
