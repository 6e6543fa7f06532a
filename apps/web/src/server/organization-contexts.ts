// What binding a call to an organization reads (membership, organization, subscription state),
// cached in this process until the organization_context NOTIFY channel says it changed
// (@plinth/platform's OrganizationContextCache; while the listener is not connected, nothing
// is cached). Passed to every tRPC context of the web app.
import "server-only";
import { listeningOrganizationContextCache, type OrganizationContextCache } from "@plinth/platform";
import { listener } from "./listener.ts";

const holder = globalThis as { plinthOrganizationContexts?: OrganizationContextCache };

export function organizationContexts(): OrganizationContextCache {
  holder.plinthOrganizationContexts ??= listeningOrganizationContextCache(listener()).cache;
  return holder.plinthOrganizationContexts;
}
