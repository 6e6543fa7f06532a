import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { slug as slugInput, urlParameter } from "@plinth/core/inputs";
import { getSessionUser } from "./session.ts";
import { api } from "./trpc.ts";

/**
 * The organization a /o/[slug] page shows, for the signed-in user: slug → id through the
 * user's own memberships (organization.list), then organization.get (role, plan state).
 * Not a member (or no such slug, or a malformed one): 404, the same answer either way.
 */
export const requireOrganization = cache(async (slug: string) => {
  if (urlParameter(slugInput, slug) === undefined) notFound();
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${slug}`)}`);
  const caller = await api();
  const organizations = await caller.organization.list();
  const membership = organizations.find((o) => o.slug === slug);
  if (!membership) notFound();
  const organization = await caller.organization.get({ organizationId: membership.id });
  return { user, organizations, organization, caller };
});
