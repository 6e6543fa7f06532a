// Account procedure inputs, shared with the web app's forms (client-safe: zod and the
// password length policy only).
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password-policy";
import { userPreferencesSchema } from "@plinth/db/json";

export const accountEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254));
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH);
const token = z.string().trim().min(1, "The link is incomplete").max(256);

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80),
  email: accountEmail,
  password: newPassword,
  /** Defaults to "<name>'s organization". */
  organizationName: z.string().trim().min(2).max(80).optional(),
  /** The invitation the user arrived through (docs/identity.md: no trial organization then). */
  invitationToken: z.string().max(512).optional(),
});

export const updateProfileInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80).optional(),
  /** An https (or http in development) image URL, or null to remove it. */
  image: z
    .url({ protocol: /^https?$/, message: "Enter an http(s) image URL" })
    .max(2048)
    .nullable()
    .optional(),
  preferences: userPreferencesSchema.pick({ theme: true, timezone: true }).partial().optional(),
});

export const tokenInput = z.object({ token });
export const requestPasswordResetInput = z.object({ email: accountEmail });
export const resetPasswordInput = z.object({ token, password: newPassword });
export const changePasswordInput = z.object({
  currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  newPassword,
});
export const revokeSessionInput = z.object({ sessionId: z.string().min(1).max(64) });
export const unlinkSignInMethodInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("password") }),
  z.object({ kind: z.literal("oauth"), provider: z.string().min(1).max(64) }),
]);
export const deleteAccountInput = z.object({ confirmEmail: z.string().max(254) });
