// Account: sign-up (a user with a password and their first organization — "auto-create the
// tenant on sign-up" — unless they arrive through an invitation: ./sign-up.ts), email verification, password reset/change, sessions, profile, sign-in
// methods, deletion. Signing in is Auth.js's job (@plinth/auth). Thin procedures over
// ./service.ts.
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc.ts";
import {
  changePasswordInput,
  deleteAccountInput,
  requestPasswordResetInput,
  resetPasswordInput,
  revokeSessionInput,
  signUpInput,
  tokenInput,
  unlinkSignInMethodInput,
  updateProfileInput,
} from "./contract.ts";
import * as account from "./service.ts";
import { signUp } from "./sign-up.ts";

export const accountRouter = createTRPCRouter({
  /** Rules (trial organization, or none when joining through an invitation) in ./sign-up.ts. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx, input)),

  // ── Email verification ──
  resendVerification: protectedProcedure.mutation(({ ctx }) => account.resendVerification(ctx)),
  verifyEmail: publicProcedure
    .input(tokenInput)
    .mutation(({ ctx, input }) => account.verifyEmail(ctx, input.token)),

  // ── Password reset (signed out) and change (signed in) ──
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => account.requestPasswordReset(ctx, input.email)),
  checkResetToken: publicProcedure
    .input(tokenInput)
    .query(({ ctx, input }) => account.checkResetToken(ctx, input.token)),
  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => account.resetPassword(ctx, input)),
  changePassword: protectedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => account.changePassword(ctx, input)),

  // ── Sessions ──
  sessions: protectedProcedure.query(({ ctx }) => account.listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(revokeSessionInput)
    .mutation(({ ctx, input }) => account.revokeSession(ctx, input.sessionId)),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => account.signOutEverywhere(ctx)),

  // ── Profile, methods, activity, deletion ──
  profile: protectedProcedure.query(({ ctx }) => account.getProfile(ctx)),
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => account.updateProfile(ctx, input)),
  signInMethods: protectedProcedure.query(({ ctx }) => account.listSignInMethods(ctx)),
  unlinkSignInMethod: protectedProcedure
    .input(unlinkSignInMethodInput)
    .mutation(({ ctx, input }) => account.unlinkSignInMethod(ctx, input)),
  activity: protectedProcedure.query(({ ctx }) => account.accountActivity(ctx)),
  deletionPreview: protectedProcedure.query(({ ctx }) => account.deletionPreview(ctx)),
  deleteAccount: protectedProcedure
    .input(deleteAccountInput)
    .mutation(({ ctx, input }) => account.deleteAccount(ctx, input)),
});
