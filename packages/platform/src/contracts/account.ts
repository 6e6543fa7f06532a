// Account procedure inputs, shared with the web app's forms (client-safe: zod, the input
// rule and the password length policy only).
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password-policy";
import { cuid, email, httpUrl, text, userToken } from "@plinth/core/inputs";
import { isTimeZone, userPreferencesSchema } from "@plinth/db/json";

export const newPassword = text(PASSWORD_MAX_LENGTH).min(
  PASSWORD_MIN_LENGTH,
  `Use at least ${PASSWORD_MIN_LENGTH} characters`,
);

export const signUpInput = z.object({
  name: text(80).trim().min(1, "Enter your name"),
  email,
  password: newPassword,
  /** Defaults to "<name>'s organization". */
  organizationName: text(80).trim().min(2).optional(),
  /** The invitation the user arrived through (docs/identity.md: no trial organization then). */
  invitationToken: text(512).optional(),
});

export const updateProfileInput = z.object({
  name: text(80).trim().min(1, "Enter your name").optional(),
  /** An https (or http in development) image URL, or null to remove it. */
  image: httpUrl.nullable().optional(),
  preferences: z
    .object({
      theme: userPreferencesSchema.shape.theme.optional(),
      timezone: text(64).refine(isTimeZone, "Unknown time zone").optional(),
    })
    .strict()
    .optional(),
});

export const tokenInput = z.object({ token: userToken });
export const requestPasswordResetInput = z.object({ email });
export const resetPasswordInput = z.object({ token: userToken, password: newPassword });
export const changePasswordInput = z.object({
  currentPassword: text(PASSWORD_MAX_LENGTH).optional(),
  newPassword,
});
export const revokeSessionInput = z.object({ sessionId: cuid });
export const unlinkSignInMethodInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("password") }),
  z.object({ kind: z.literal("oauth"), provider: text(64).min(1) }),
]);
export const deleteAccountInput = z.object({ confirmEmail: text(254) });
