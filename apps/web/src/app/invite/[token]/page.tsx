// Accepting an invitation (docs/teams.md). The link in the email carries the token; this page
// shows the organization and role, asks the invitee to sign in with the invited address
// (and brings them back here afterwards), then accepts and opens the organization.
import type { Metadata } from "next";
import Link from "next/link";
import { invitationToken, urlParameter } from "@plinth/core/inputs";
import { Badge } from "@plinth/ui/badge";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { CenteredPage } from "@plinth/ui/centered-page";
import { appErrorFromCaller } from "~/server/errors.ts";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { AcceptInvitation } from "./accept-invitation.tsx";
import { signOutAndReturn } from "./actions.ts";

export const dynamic = "force-dynamic";
// The token is in this page's URL: never send it on as a Referer, never index it.
export const metadata: Metadata = {
  title: "Invitation",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

const article = (role: string) => (/^[aeiou]/.test(role) ? "an" : "a");

function InvalidInvitation({ message }: { message: string }) {
  return (
    <CenteredPage>
      <Card data-testid="invitation-invalid">
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Invitation</h1>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Banner tone="danger">{message}</Banner>
          <p className="text-sm text-muted-foreground">
            Ask an administrator of the organization to send you a new invitation.
          </p>
        </CardContent>
        <CardFooter>
          <Button asChild variant="outline">
            <Link href="/">Go to Plinth</Link>
          </Button>
        </CardFooter>
      </Card>
    </CenteredPage>
  );
}

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  // A malformed token (too long, NUL, …) is answered like an unknown one.
  const token = urlParameter(invitationToken, (await params).token);
  if (token === undefined) return <InvalidInvitation message="This invitation link is not valid" />;
  const caller = await api();
  let preview: Awaited<ReturnType<typeof caller.invitation.preview>>;
  try {
    preview = await caller.invitation.preview({ token });
  } catch (error) {
    if (!appErrorFromCaller(error)) throw error;
    return (
      <InvalidInvitation
        message={error instanceof Error ? error.message : "This invitation link is not valid"}
      />
    );
  }

  const role = preview.role.toLowerCase();
  const here = `/invite/${token}`;
  const user = await getSessionUser();
  const sameAddress = user?.email.trim().toLowerCase() === preview.email;

  return (
    <CenteredPage>
      <Card data-testid="invitation">
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">Join {preview.organizationName}</h1>
          <CardDescription>
            Valid until {preview.expiresAt.toISOString().slice(0, 10)}; it works once.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 text-sm">
          <p>
            {preview.invitedBy ?? "Someone"} invited <strong>{preview.email}</strong> to join{" "}
            <strong>{preview.organizationName}</strong> as {article(role)}{" "}
            <Badge variant="outline">{role}</Badge>.
          </p>
          {!user ? (
            <>
              <p>Sign in as {preview.email} to accept.</p>
              <Button asChild>
                <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}>
                  Sign in to accept
                </Link>
              </Button>
              <p className="text-muted-foreground">
                No account yet?{" "}
                <Link
                  className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
                  href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`}
                >
                  Create one with {preview.email}
                </Link>
                : you come back here to accept.
              </p>
            </>
          ) : !sameAddress ? (
            <>
              <Banner tone="warning" title="Another account">
                You are signed in as {user.email}, but this invitation is for {preview.email}.
              </Banner>
              <form action={signOutAndReturn.bind(null, here)}>
                <Button type="submit" variant="outline" className="w-full">
                  Sign out and sign in as {preview.email}
                </Button>
              </form>
            </>
          ) : (
            <AcceptInvitation token={token} organizationName={preview.organizationName} />
          )}
        </CardContent>
      </Card>
    </CenteredPage>
  );
}
