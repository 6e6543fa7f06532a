import type { Metadata } from "next";
import Link from "next/link";
import { urlParameter, userToken } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui/banner";
import { Card, CardContent, CardHeader } from "@plinth/ui/card";
import { api } from "~/server/trpc.ts";
import { ResetPasswordForm } from "./reset-password-form.tsx";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // A malformed token is treated as absent.
  const token = urlParameter(userToken, params.token);
  const check = token
    ? { token, ...(await (await api()).account.checkResetToken({ token })) }
    : { valid: false as const, message: "This password reset link is incomplete." };
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Choose a new password</h1>
      </CardHeader>
      <CardContent className="grid gap-4">
        {check.valid ? (
          <ResetPasswordForm token={check.token} />
        ) : (
          <>
            <Banner tone="danger">{check.message}</Banner>
            <Link
              href="/forgot-password"
              className="text-sm text-primary underline underline-offset-4 hover:decoration-2"
            >
              Send a new link
            </Link>
          </>
        )}
      </CardContent>
    </Card>
  );
}
