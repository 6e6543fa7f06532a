import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { invitationToken, urlParameter } from "@plinth/core/inputs";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { invitationTokenOf } from "~/server/callback-url.ts";
import { appErrorFromCaller } from "~/server/errors.ts";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { SignUpForm, type SignUpInvitation } from "./sign-up-form.tsx";

export const metadata: Metadata = { title: "Create an account", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** Arriving from an invitation page (?callbackUrl=/invite/<token>): what the invitation says. */
async function invitationFor(callbackUrl: string): Promise<SignUpInvitation | null> {
  const token = urlParameter(invitationToken, invitationTokenOf(callbackUrl));
  if (!token) return null;
  const caller = await api();
  try {
    const preview = await caller.invitation.preview({ token });
    return {
      token,
      email: preview.email,
      organizationName: preview.organizationName,
      role: preview.role.toLowerCase(),
    };
  } catch (error) {
    if (appErrorFromCaller(error)) return null; // invalid or expired: an ordinary sign-up
    throw error;
  }
}

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const invitation = await invitationFor(callbackUrl);
  const signInHref =
    callbackUrl === "/" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Create your account</h1>
        {invitation ? (
          <CardDescription data-testid="sign-up-invitation">
            You were invited to join <strong>{invitation.organizationName}</strong> as{" "}
            {invitation.role}. Create your account with {invitation.email}, the invited address;
            then you come back to the invitation to accept it.
          </CardDescription>
        ) : (
          <CardDescription>Start with a 14-day trial. No card needed.</CardDescription>
        )}
      </CardHeader>
      <CardContent>
        <SignUpForm callbackUrl={callbackUrl} invitation={invitation} />
      </CardContent>
      <CardFooter className="text-sm text-muted-foreground">
        Already have an account?{" "}
        <Link
          href={signInHref}
          className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
        >
          Sign in
        </Link>
      </CardFooter>
    </Card>
  );
}
