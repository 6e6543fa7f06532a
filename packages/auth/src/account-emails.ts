// Account emails with their links: email verification, password reset, password changed, a
// sign-up attempt with a registered address.
// Sent through packages/email (SMTP, or the dev mailbox offline), inside the caller's
// transaction. Links point at AUTH_URL (else APP_URL). Free of `next`.
import type { TransactionClient } from "@plinth/db";
import { coreEnv } from "@plinth/core/env";
import {
  passwordChanged,
  passwordReset,
  sendEmail,
  signUpAttempted,
  verifyEmailAddress,
} from "@plinth/email";
import { authEnv } from "./env.ts";
import { USER_TOKEN_TTL_SECONDS } from "./tokens.ts";

export function appBaseUrl(): string {
  return (authEnv().AUTH_URL ?? coreEnv().APP_URL).replace(/\/+$/, "");
}

export function sendVerificationEmail(
  tx: TransactionClient,
  input: { to: string; name: string | null; token: string },
) {
  const url = `${appBaseUrl()}/verify-email?token=${encodeURIComponent(input.token)}`;
  return sendEmail(tx, {
    to: input.to,
    ...verifyEmailAddress({
      name: input.name,
      url,
      expiresInSeconds: USER_TOKEN_TTL_SECONDS.EMAIL_VERIFICATION,
    }),
  });
}

export function sendPasswordResetEmail(
  tx: TransactionClient,
  input: { to: string; token: string },
) {
  const url = `${appBaseUrl()}/reset-password?token=${encodeURIComponent(input.token)}`;
  return sendEmail(tx, {
    to: input.to,
    ...passwordReset({ url, expiresInSeconds: USER_TOKEN_TTL_SECONDS.PASSWORD_RESET }),
  });
}

export function sendPasswordChangedEmail(tx: TransactionClient, input: { to: string; when: Date }) {
  return sendEmail(tx, {
    to: input.to,
    ...passwordChanged({ when: input.when, signInUrl: `${appBaseUrl()}/sign-in` }),
  });
}

/** "Someone tried to sign up with your address": sign in, or reset the password. */
export function sendSignUpAttemptedEmail(tx: TransactionClient, input: { to: string }) {
  return sendEmail(tx, {
    to: input.to,
    ...signUpAttempted({
      signInUrl: `${appBaseUrl()}/sign-in`,
      resetUrl: `${appBaseUrl()}/forgot-password`,
    }),
  });
}
