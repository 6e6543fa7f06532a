// An organization's own provider base URL: validated when it is saved (an absolute http(s) URL
// without credentials, query or fragment; https only outside development and tests; a public
// address unless private networks are allowed) and guarded again on every connection (the
// shared SSRF guard of @plinth/core/ssrf: a name that later resolves to a private address is
// refused where the socket connects, so DNS rebinding gains nothing).
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from "undici";
import { checkLiteralHost, checkPublicDestination, guardedLookup } from "@plinth/core/ssrf";

export interface DestinationPolicy {
  /** Plain http accepted (development and tests only). */
  allowHttp: boolean;
  /** Loopback, private and link-local addresses accepted (AI_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
}

export type CheckedBaseUrl = { ok: true; url: string } | { ok: false; reason: string };

/** The normalised base URL (no trailing slash), or why it is refused. */
export async function checkProviderBaseUrl(
  input: string,
  policy: DestinationPolicy,
): Promise<CheckedBaseUrl> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, reason: "Not a URL" };
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) {
    return { ok: false, reason: policy.allowHttp ? "Use http or https" : "Use https" };
  }
  if (url.username || url.password) {
    return { ok: false, reason: "Put the key in the key field, not in the URL" };
  }
  if (url.search || url.hash) return { ok: false, reason: "No query or fragment" };
  if (!policy.allowPrivateNetworks) {
    const destination = await checkPublicDestination(url);
    if (!destination.ok) return destination;
  }
  return { ok: true, url: url.href.replace(/\/+$/, "") };
}

// Created on first use (importing @plinth/ai opens nothing), then shared: connections pool.
let guardedAgent: Agent | undefined;
let openAgent: Agent | undefined;

/**
 * fetch for the `openai` SDK at an organization's own base URL: undici's fetch on an Agent
 * that connects only to public addresses (IP literals checked as written, names through the
 * guarded lookup), or to any address when private networks are allowed.
 */
export function destinationFetch(policy: { allowPrivateNetworks: boolean }): typeof fetch {
  const dispatcher = policy.allowPrivateNetworks
    ? (openAgent ??= new Agent())
    : (guardedAgent ??= new Agent({ connect: { lookup: guardedLookup } }));
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (!policy.allowPrivateNetworks) checkLiteralHost(url.hostname);
    // The SDK passes a string URL and a plain init; undici's types differ from the DOM lib's.
    const response = await undiciFetch(url, {
      ...(init as UndiciRequestInit | undefined),
      dispatcher,
    });
    return response as unknown as Response;
  };
}
