import type { Metadata } from "next";
import Link from "next/link";
import { urlParameter, userToken } from "@plinth/core/inputs";
import { Banner } from "@plinth/ui";
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
    <main className="auth-page">
      <div className="card">
        <h1>Choose a new password</h1>
        {check.valid ? (
          <ResetPasswordForm token={check.token} />
        ) : (
          <>
            <Banner tone="danger">{check.message}</Banner>
            <p className="muted">
              <Link href="/forgot-password">Send a new link</Link>
            </p>
          </>
        )}
      </div>
    </main>
  );
}
