// Account: sign-up (a user with a password and their first organization — "auto-create the
// tenant on sign-up" — unless they arrive through an invitation: ./sign-up.ts), email verification, password reset/change, sessions, profile, sign-in
// methods, deletion. Signing in is Auth.js's job (@plinth/auth). Thin procedures over
// ./service.ts.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password";
import { userPreferencesSchema } from "@plinth/db";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc.ts";
import * as account from "./service.ts";
import { signUp } from "./sign-up.ts";

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254));
const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH);
const tokenSchema = z.string().trim().min(1, "The link is incomplete").max(256);

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80),
  email: emailSchema,
  password: newPasswordSchema,
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
        currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(),
        newPassword: newPasswordSchema,
      }),
    )
    .mutation(({ ctx, input }) => account.changePassword(ctx, input)),

  // ── Sessions ──
  sessions: protectedProcedure.query(({ ctx }) => account.listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(z.object({ sessionId: z.string().min(1).max(64) }))
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
        z.object({ kind: z.literal("oauth"), provider: z.string().min(1).max(64) }),
      ]),
    )
    .mutation(({ ctx, input }) => account.unlinkSignInMethod(ctx, input)),
  activity: protectedProcedure.query(({ ctx }) => account.accountActivity(ctx)),
  deletionPreview: protectedProcedure.query(({ ctx }) => account.deletionPreview(ctx)),
  deleteAccount: protectedProcedure
    .input(z.object({ confirmEmail: z.string().max(254) }))
    .mutation(({ ctx, input }) => account.deleteAccount(ctx, input)),
});
