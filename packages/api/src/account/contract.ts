// Account procedure inputs, shared with the web app's forms (client-safe: zod and the
// password length policy only).
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password-policy";
import { userPreferencesSchema } from "@plinth/db/json";
import * as z from "zod/mini";
import "../zod-mini.ts";

export const accountEmail = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.email("Enter a valid email address").check(z.maxLength(254)),
);
export const newPassword = z
  .string()
  .check(
    z.minLength(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`),
    z.maxLength(PASSWORD_MAX_LENGTH),
  );
const token = z
  .string()
  .check(z.trim(), z.minLength(1, "The link is incomplete"), z.maxLength(256));

export const signUpInput = z.object({
  name: z.string().check(z.trim(), z.minLength(1, "Enter your name"), z.maxLength(80)),
  email: accountEmail,
  password: newPassword,
  /** Defaults to "<name>'s organization". */
  organizationName: z.optional(z.string().check(z.trim(), z.minLength(2), z.maxLength(80))),
  /** The invitation the user arrived through (docs/identity.md: no trial organization then). */
  invitationToken: z.optional(z.string().check(z.maxLength(512))),
});

export const updateProfileInput = z.object({
  name: z.optional(z.string().check(z.trim(), z.minLength(1, "Enter your name"), z.maxLength(80))),
  /** An https (or http in development) image URL, or null to remove it. */
  image: z.optional(
    z.nullable(
      z
        .url({ protocol: /^https?$/, message: "Enter an http(s) image URL" })
        .check(z.maxLength(2048)),
    ),
  ),
  preferences: z.optional(
    z.partial(z.pick(userPreferencesSchema, { theme: true, timezone: true })),
  ),
});

export const tokenInput = z.object({ token });
export const requestPasswordResetInput = z.object({ email: accountEmail });
export const resetPasswordInput = z.object({ token, password: newPassword });
export const changePasswordInput = z.object({
  currentPassword: z.optional(z.string().check(z.maxLength(PASSWORD_MAX_LENGTH))),
  newPassword,
});
export const revokeSessionInput = z.object({
  sessionId: z.string().check(z.minLength(1), z.maxLength(64)),
});
export const unlinkSignInMethodInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("password") }),
  z.object({
    kind: z.literal("oauth"),
    provider: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
]);
export const deleteAccountInput = z.object({ confirmEmail: z.string().check(z.maxLength(254)) });
