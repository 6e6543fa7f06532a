import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { Separator } from "@plinth/ui/separator";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@plinth/ui/tabs";
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
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Sign in to Plinth</h1>
        <CardDescription>Welcome back. Choose how to sign in.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        {notice ? <Banner tone="success">{notice}</Banner> : null}
        {error ? (
          <Banner tone="danger">{ERRORS[error] ?? "Signing in did not work. Try again."}</Banner>
        ) : null}
        {providers.length > 0 ? (
          <div className="grid gap-2" data-testid="oauth-providers">
            {providers.map((provider) => (
              <form key={provider.id} action={oauthSignInAction}>
                <input type="hidden" name="provider" value={provider.id} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <Button
                  type="submit"
                  variant="outline"
                  className="w-full"
                  data-provider={provider.id}
                >
                  Continue with {provider.name}
                </Button>
              </form>
            ))}
            <div className="flex items-center gap-3 text-xs text-muted-foreground uppercase">
              <Separator className="flex-1" /> or <Separator className="flex-1" />
            </div>
          </div>
        ) : null}
        <Tabs defaultValue="password">
          <TabsList className="w-full">
            <TabsTrigger value="password">With a password</TabsTrigger>
            <TabsTrigger value="link">With an email link</TabsTrigger>
          </TabsList>
          <TabsContent value="password" className="grid gap-3 pt-2">
            <SignInForm callbackUrl={callbackUrl} />
            <Link
              href="/forgot-password"
              className="text-sm text-primary underline underline-offset-4 hover:decoration-2"
            >
              Forgot your password?
            </Link>
          </TabsContent>
          <TabsContent value="link" className="pt-2">
            <MagicLinkForm callbackUrl={callbackUrl} />
          </TabsContent>
        </Tabs>
      </CardContent>
      <CardFooter className="text-sm text-muted-foreground">
        New here?{" "}
        <Link
          className="font-medium text-primary underline underline-offset-4 hover:decoration-2"
          href={
            callbackUrl === "/"
              ? "/sign-up"
              : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`
          }
        >
          Create an account
        </Link>
      </CardFooter>
    </Card>
  );
}
