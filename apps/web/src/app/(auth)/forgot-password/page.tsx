import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardFooter, CardHeader } from "@plinth/ui/card";
import { ForgotPasswordForm } from "./forgot-password-form.tsx";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <Card>
      <CardHeader>
        <h1 className="text-xl font-semibold tracking-tight">Reset your password</h1>
        <CardDescription>
          Enter the email address of your account and we will send you a link to choose a new
          password.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <ForgotPasswordForm />
      </CardContent>
      <CardFooter className="text-sm">
        <Link
          href="/sign-in"
          className="text-primary underline underline-offset-4 hover:decoration-2"
        >
          Back to sign in
        </Link>
      </CardFooter>
    </Card>
  );
}
