// Account: sign-up (a user with a password and their first organization — "auto-create the
// tenant on sign-up" — unless they arrive through an invitation: ./sign-up.ts), email verification, password reset/change, sessions, profile, sign-in
// methods, deletion. Signing in is Auth.js's job (@plinth/auth). Thin procedures over
// ./service.ts.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password";
import { isTimeZone, userPreferencesSchema } from "@plinth/db";
import { cuid, email as emailSchema, httpUrl, text, userToken } from "../inputs.ts";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc.ts";
import * as account from "./service.ts";
import { signUp } from "./sign-up.ts";

const newPasswordSchema = text(PASSWORD_MAX_LENGTH).min(
  PASSWORD_MIN_LENGTH,
  `Use at least ${PASSWORD_MIN_LENGTH} characters`,
);
const tokenSchema = userToken;

export const signUpInput = z.object({
  name: text(80).trim().min(1, "Enter your name"),
  email: emailSchema,
  password: newPasswordSchema,
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

export const accountRouter = createTRPCRouter({
  /** Rules (trial organization, or none when joining through an invitation) in ./sign-up.ts. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx, input)),

  // ── Email verification ──
  resendVerification: protectedProcedure.mutation(({ ctx }) => account.resendVerification(ctx)),
  verifyEmail: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .mutation(({ ctx, input }) => account.verifyEmail(ctx, input.token)),

  // ── Password reset (signed out) and change (signed in) ──
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailSchema }))
    .mutation(({ ctx, input }) => account.requestPasswordReset(ctx, input.email)),
  checkResetToken: publicProcedure
    .input(z.object({ token: tokenSchema }))
    .query(({ ctx, input }) => account.checkResetToken(ctx, input.token)),
  resetPassword: publicProcedure
    .input(z.object({ token: tokenSchema, password: newPasswordSchema }))
    .mutation(({ ctx, input }) => account.resetPassword(ctx, input)),
  changePassword: protectedProcedure
    .input(
      z.object({
        currentPassword: text(PASSWORD_MAX_LENGTH).optional(),
        newPassword: newPasswordSchema,
      }),
    )
    .mutation(({ ctx, input }) => account.changePassword(ctx, input)),

  // ── Sessions ──
  sessions: protectedProcedure.query(({ ctx }) => account.listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(z.object({ sessionId: cuid }))
    .mutation(({ ctx, input }) => account.revokeSession(ctx, input.sessionId)),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => account.signOutEverywhere(ctx)),

  // ── Profile, methods, activity, deletion ──
  profile: protectedProcedure.query(({ ctx }) => account.getProfile(ctx)),
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => account.updateProfile(ctx, input)),
  signInMethods: protectedProcedure.query(({ ctx }) => account.listSignInMethods(ctx)),
  unlinkSignInMethod: protectedProcedure
    .input(
      z.discriminatedUnion("kind", [
        z.object({ kind: z.literal("password") }),
        z.object({ kind: z.literal("oauth"), provider: text(64).min(1) }),
      ]),
    )
    .mutation(({ ctx, input }) => account.unlinkSignInMethod(ctx, input)),
  activity: protectedProcedure.query(({ ctx }) => account.accountActivity(ctx)),
  deletionPreview: protectedProcedure.query(({ ctx }) => account.deletionPreview(ctx)),
  deleteAccount: protectedProcedure
    .input(z.object({ confirmEmail: text(254) }))
    .mutation(({ ctx, input }) => account.deleteAccount(ctx, input)),
});
