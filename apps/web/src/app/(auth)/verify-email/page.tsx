import type { Metadata } from "next";
import { urlParameter, userToken } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui";
import { VerifyEmailButton } from "./verify-email-button.tsx";

export const metadata: Metadata = { title: "Verify your email", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

// The link only opens this page; verifying takes a click (a POST), so mail scanners that
// prefetch links cannot spend the single-use token.
export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // A malformed token is treated as absent.
  const token = urlParameter(userToken, params.token);
  return (
    <main className="auth-page">
      <div className="card">
        <h1>Verify your email</h1>
        {token ? (
          <VerifyEmailButton token={token} />
        ) : (
          <Banner tone="danger">This verification link is incomplete.</Banner>
        )}
      </div>
    </main>
  );
}
