import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form.tsx";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <main className="auth-page">
      <div className="card">
        <h1>Reset your password</h1>
        <p className="muted">
          Enter the email address of your account and we will send you a link to choose a new
          password.
        </p>
        <ForgotPasswordForm />
        <p className="muted">
          <Link href="/sign-in">Back to sign in</Link>
        </p>
      </div>
    </main>
  );
}
