// Accepting an invitation (docs/teams.md). The link in the email carries the token; this page
// shows the organization and role, asks the invitee to sign in with the invited address
// (and brings them back here afterwards), then accepts and opens the organization.
import type { Metadata } from "next";
import Link from "next/link";
import { invitationToken, urlParameter } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui";
import { appErrorFromCaller } from "~/server/errors.ts";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { AcceptInvitation } from "./accept-invitation.tsx";
import { signOutAndReturn } from "./actions.ts";
import { requireModule } from "~/server/modules.ts";

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
    <main className="auth-page">
      <div className="card" data-testid="invitation-invalid">
        <h1>Invitation</h1>
        <Banner tone="danger">{message}</Banner>
        <p className="muted">
          Ask an administrator of the organization to send you a new invitation.
        </p>
        <Link href="/">Go to Plinth</Link>
      </div>
    </main>
  );
}

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  requireModule("teams");
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
    <main className="auth-page">
      <div className="card" data-testid="invitation">
        <h1>Join {preview.organizationName}</h1>
        <p>
          {preview.invitedBy ?? "Someone"} invited <strong>{preview.email}</strong> to join{" "}
          <strong>{preview.organizationName}</strong> as {article(role)}{" "}
          <span className="badge">{role}</span>.
        </p>
        <p className="muted">
          Valid until {preview.expiresAt.toISOString().slice(0, 10)}; it works once.
        </p>
        {!user ? (
          <>
            <p>Sign in as {preview.email} to accept.</p>
            <p>
              <Link
                className="ui-button ui-button--primary"
                href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`}
              >
                Sign in to accept
              </Link>
            </p>
            <p className="muted">
              No account yet?{" "}
              <Link href={`/sign-up?callbackUrl=${encodeURIComponent(here)}`}>
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
              <button type="submit" className="ui-button ui-button--secondary">
                Sign out and sign in as {preview.email}
              </button>
            </form>
          </>
        ) : (
          <AcceptInvitation token={token} organizationName={preview.organizationName} />
        )}
      </div>
    </main>
  );
}
