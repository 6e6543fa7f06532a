// The hosting procedures' inputs (client-safe: zod mini only; the request form validates with
// the same schemas). Which app, version, size and region exist is the catalogue's to say: the
// service checks those against ./catalogue.ts and refuses with INVALID_INPUT.
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

const key = text(64, z.regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "Not a valid key"));
export const workspaceName = text(
  63,
  z.trim(),
  z.minLength(1, "Enter a name"),
  z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and dashes"),
);

const workspaceChoice = {
  app: key,
  version: key,
  size: key,
  region: key,
  /** The app plan it is billed as (default: the app's first plan allowing the size). */
  plan: z.optional(key),
  /** Or the bundle it belongs to (one that holds the app). */
  bundle: z.optional(key),
};
export const requestWorkspaceInput = z.object({ name: workspaceName, ...workspaceChoice });
/** What requesting would add to the subscription (the request form's price preview). */
export const previewWorkspaceInput = z.object(workspaceChoice);
export const workspaceInput = z.object({ workspaceId: cuid });
export const getWorkspaceInput = z.object({
  workspaceId: cuid,
  /** Characters of each step's output to answer (the newest are kept). */
  outputChars: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(200_000)), 20_000),
});
export const updateWorkspaceInput = z.object({
  workspaceId: cuid,
  size: z.optional(key),
  version: z.optional(key),
});
/**
 * A custom domain as typed (`shop.acme.com`, upper case, a trailing dot or an IDN allowed): the
 * service normalises it with @plinth/dns's domainNameSchema (lower case, IDNA) and refuses what
 * the DNS would not take.
 */
export const domainName = text(
  253,
  z.trim(),
  z.minLength(1, "Enter a domain"),
  z.regex(/^[^\s/:@*_]+\.[^\s/:@*_.]+\.?$/u, "Enter a domain such as shop.example.com"),
);
export const addDomainInput = z.object({ workspaceId: cuid, hostname: domainName });
export const domainInput = z.object({ workspaceId: cuid, domainId: cuid });

export const listWorkspacesInput = z.object({
  includeDestroyed: z._default(z.boolean(), false),
});

/** The operator console's failed runs (platform admins): the newest first. */
export const failedRunsInput = z.object({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(200)), 50),
});
/** The operator's retry of a failed workspace's last operation. */
export const retryWorkspaceInput = z.object({ workspaceId: cuid });

/** The app catalogue (client-safe data): the request form's choices. */
export { HOSTING_APPS, HOSTING_BUNDLES, HOSTING_ITEMS, HOSTING_REGIONS } from "./catalogue.ts";
export type { HostingApp, HostingBundle, HostingItem, HostingSize } from "./catalogue.ts";
