import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Banner } from "@plinth/ui";
import { configuredProviders } from "@plinth/auth";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { getSessionUser } from "~/server/session.ts";
import { oauthSignInAction } from "../auth-actions.ts";
import { MagicLinkForm } from "./magic-link-form.tsx";
import { SignInForm } from "./sign-in-form.tsx";

// callbackUrl may be an invitation page (its token in the path): never sent on as a Referer.
export const metadata: Metadata = { title: "Sign in", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

// Auth.js error codes (?error=…) in words; anything else gets the generic line.
const ERRORS: Record<string, string> = {
  OAuthAccountNotLinked:
    "That sign-in method belongs to an email address that already has an account. Sign in the way you usually do, then link it from your account page.",
  AccessDenied: "This account cannot sign in.",
  Verification: "That sign-in link is invalid or has expired. Ask for a new one.",
  Configuration: "Sign-in is not available right now. Try again later.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeRedirectPath(params.callbackUrl);
  const error = typeof params.error === "string" ? params.error : null;
  if (await getSessionUser())
    redirect(error ? `/account?error=${encodeURIComponent(error)}` : callbackUrl);
  const providers = configuredProviders();
  const notice =
    params.check === "email"
      ? "If an account exists for that address, a sign-in link is on its way. It works once, for 15 minutes."
      : params.reset === "done"
        ? "Your password was changed and every device was signed out. Sign in with the new password."
        : params.deleted === "1"
          ? "Your account was deleted."
          : null;

  return (
    <main className="auth-page">
      <div className="card">
        <h1>Sign in to Plinth</h1>
        {notice ? <Banner tone="success">{notice}</Banner> : null}
        {error ? (
          <Banner tone="danger">{ERRORS[error] ?? "Signing in did not work. Try again."}</Banner>
        ) : null}
        {providers.length > 0 ? (
          <div className="stack" data-testid="oauth-providers">
            {providers.map((provider) => (
              <form key={provider.id} action={oauthSignInAction}>
                <input type="hidden" name="provider" value={provider.id} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <button
                  type="submit"
                  className="ui-button ui-button--secondary"
                  style={{ width: "100%" }}
                  data-provider={provider.id}
                >
                  Continue with {provider.name}
                </button>
              </form>
            ))}
            <p className="muted auth-divider">or</p>
          </div>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} />
        <p className="muted">
          <Link href="/forgot-password">Forgot your password?</Link>
        </p>
        <details>
          <summary>Email me a sign-in link instead</summary>
          <MagicLinkForm callbackUrl={callbackUrl} />
        </details>
        <p className="muted">
          New here?{" "}
          <Link
            href={
              callbackUrl === "/"
                ? "/sign-up"
                : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`
            }
          >
            Create an account
          </Link>
        </p>
      </div>
    </main>
  );
}
