// Sign-in and account emails (@plinth/auth and the account API). Links carry single-use tokens;
// nothing else in these emails is secret.
import { layout, type RenderedEmail } from "./templates.ts";

const hours = (seconds: number) => {
  const h = Math.round(seconds / 3600);
  return h <= 1 ? "1 hour" : `${h} hours`;
};
const minutes = (seconds: number) => `${Math.max(1, Math.round(seconds / 60))} minutes`;

export function verifyEmailAddress(input: {
  name: string | null;
  url: string;
  expiresInSeconds: number;
}): RenderedEmail {
  return {
    template: "verify-email",
    subject: "Verify your email address",
    ...layout({
      title: "Verify your email address",
      paragraphs: [
        `Hi${input.name ? ` ${input.name}` : ""}, confirm that this is your email address to finish setting up your Plinth account.`,
        `The link works once and expires in ${hours(input.expiresInSeconds)}. If you did not create an account, ignore this email.`,
      ],
      action: { label: "Verify email", url: input.url },
    }),
  };
}

export function passwordReset(input: { url: string; expiresInSeconds: number }): RenderedEmail {
  return {
    template: "password-reset",
    subject: "Reset your Plinth password",
    ...layout({
      title: "Reset your password",
      paragraphs: [
        "Someone (hopefully you) asked to reset the password of your Plinth account.",
        `The link works once and expires in ${minutes(input.expiresInSeconds)}. Resetting signs you out on every device. If you did not ask for this, ignore this email: your password stays the same.`,
      ],
      action: { label: "Choose a new password", url: input.url },
    }),
  };
}

export function magicLink(input: { url: string; expiresInSeconds: number }): RenderedEmail {
  return {
    template: "magic-link",
    subject: "Your Plinth sign-in link",
    ...layout({
      title: "Sign in to Plinth",
      paragraphs: [
        `Use the button below to sign in. The link works once and expires in ${minutes(input.expiresInSeconds)}.`,
        "If you did not ask for it, ignore this email.",
      ],
      action: { label: "Sign in", url: input.url },
    }),
  };
}

export function passwordChanged(input: { when: Date; signInUrl: string }): RenderedEmail {
  return {
    template: "password-changed",
    subject: "Your Plinth password was changed",
    ...layout({
      title: "Your password was changed",
      paragraphs: [
        `The password of your Plinth account was changed on ${input.when.toISOString().replace("T", " ").slice(0, 16)} UTC, and your other devices were signed out.`,
        "If this was not you, reset your password now and contact support.",
      ],
      action: { label: "Sign in", url: input.signInUrl },
    }),
  };
}

/**
 * To the owner of an address someone tried to sign up with. Sign-up answers the same for new
 * and registered addresses (no account enumeration); this is how the real owner hears of it.
 */
export function signUpAttempted(input: { signInUrl: string; resetUrl: string }): RenderedEmail {
  return {
    template: "sign-up-attempted",
    subject: "Someone tried to sign up with your email address",
    ...layout({
      title: "You already have a Plinth account",
      paragraphs: [
        "Someone (hopefully you) just tried to create a Plinth account with this email address, which already has one. No new account was created and nothing about yours changed.",
        `If it was you, sign in instead. If you forgot your password, reset it here: ${input.resetUrl}`,
        "If it was not you, you can ignore this email.",
      ],
      action: { label: "Sign in", url: input.signInUrl },
    }),
  };
}
