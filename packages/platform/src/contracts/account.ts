// Account procedure inputs, shared with the web app's forms (client-safe: zod mini and the
// password length policy only).
import * as z from "zod/mini";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password-policy";
import { isTimeZone, userPreferencesSchema } from "@plinth/db/json";
import { cuid, email, httpUrl, text, userToken } from "@plinth/core/inputs";

export const newPassword = text(
  PASSWORD_MAX_LENGTH,
  z.minLength(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`),
);

export const signUpInput = z.object({
  name: text(80, z.trim(), z.minLength(1, "Enter your name")),
  email,
  password: newPassword,
  /** Defaults to "<name>'s organization". */
  organizationName: z.optional(text(80, z.trim(), z.minLength(2))),
  /** The invitation the user arrived through (docs/identity.md: no trial organization then). */
  invitationToken: z.optional(text(512)),
  /**
   * The plan chosen on the sign-up page: one the active product offers at sign-up
   * (catalog.signUpPlans, checked by the service: INVALID_INPUT otherwise). Default: the trial.
   */
  planKey: z.optional(text(32, z.regex(/^[a-z]+$/, "Not a plan"))),
});

export const updateProfileInput = z.object({
  name: z.optional(text(80, z.trim(), z.minLength(1, "Enter your name"))),
  /** An https (or http in development) image URL, or null to remove it. */
  image: z.optional(z.nullable(httpUrl)),
  preferences: z.optional(
    z.strictObject({
      theme: z.optional(userPreferencesSchema.shape.theme),
      timezone: z.optional(text(64, z.refine(isTimeZone, "Unknown time zone"))),
    }),
  ),
});

export const tokenInput = z.object({ token: userToken });
export const requestPasswordResetInput = z.object({ email });
export const resetPasswordInput = z.object({ token: userToken, password: newPassword });
export const changePasswordInput = z.object({
  currentPassword: z.optional(text(PASSWORD_MAX_LENGTH)),
  newPassword,
});
export const revokeSessionInput = z.object({ sessionId: cuid });
export const unlinkSignInMethodInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("password") }),
  z.object({ kind: z.literal("oauth"), provider: text(64, z.minLength(1)) }),
]);
export const deleteAccountInput = z.object({ confirmEmail: text(254) });

/** How long a ready data export (its zip and its link) lives. */
export const DATA_EXPORT_LIFETIME_DAYS = 7;

/** A data export's download link (`/api/account/data-exports/<id>?expires=…&signature=…`). */
export const dataExportLinkInput = z.object({
  exportId: cuid,
  /** Seconds since the epoch, as signed (digits: a query parameter). */
  expires: text(12, z.regex(/^[0-9]{1,12}$/, "Not a valid link")),
  signature: text(64, z.regex(/^[A-Za-z0-9_-]{43}$/, "Not a valid link")),
});
