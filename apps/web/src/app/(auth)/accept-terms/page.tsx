import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { TERMS_CONSENT_VERSION } from "@plinth/product/contracts";
import { Card, CardContent, CardDescription, CardHeader } from "@plinth/ui/card";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { AcceptTermsForm } from "./accept-terms-form.tsx";

// callbackUrl may be an invitation page (its token in the path): never sent on as a Referer.
export const metadata: Metadata = { title: "Accept the terms", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * The terms step (src/server/terms-step.ts sends signed-in users here from any page until they
 * accept the version in force): first sign-ins through OAuth / OIDC / magic links, and everyone
 * again after TERMS_CONSENT_VERSION is bumped.
 */
export default async function AcceptTermsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const consents = await (await api()).account.consents();
  if (consents.find((consent) => consent.kind === "TERMS")?.valid) redirect(callbackUrl);

  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Accept the terms</h1>
        <CardDescription>
          Signed in as {user.email}. Before you continue, please accept the terms of service
          (version {TERMS_CONSENT_VERSION}).
        </CardDescription>
      </CardHeader>
      <CardContent>
        <AcceptTermsForm callbackUrl={callbackUrl} />
      </CardContent>
    </Card>
  );
}
