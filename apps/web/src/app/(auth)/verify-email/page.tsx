import type { Metadata } from "next";
import { urlParameter, userToken } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui/banner";
import { Card, CardContent, CardHeader } from "@plinth/ui/card";
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
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Verify your email</h1>
      </CardHeader>
      <CardContent>
        {token ? (
          <VerifyEmailButton token={token} />
        ) : (
          <Banner tone="danger">This verification link is incomplete.</Banner>
        )}
      </CardContent>
    </Card>
  );
}
