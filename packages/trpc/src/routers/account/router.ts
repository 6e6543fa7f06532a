// Account: sign-up (a user with a password and their first organization — unless they arrive
// through an invitation), email verification, password reset/change, sessions, profile,
// sign-in methods, deletion. Signing in is Auth.js's job (@plinth/auth). Thin procedures over
// @plinth/platform's account and sign-up services.
import * as account from "@plinth/platform/account";
import { currentConsents, recordConsent } from "@plinth/platform/consents";
import { listDataExports, requestDataExport } from "@plinth/platform/data-exports";
import { exportMyData } from "@plinth/platform/personal-data";
import {
  changePasswordInput,
  deleteAccountInput,
  recordConsentInput,
  requestPasswordResetInput,
  resetPasswordInput,
  revokeSessionInput,
  signUpInput,
  tokenInput,
  unlinkSignInMethodInput,
  updateProfileInput,
} from "@plinth/platform/contracts";
import { signUp } from "@plinth/platform/sign-up";
import { protectedProcedure, publicProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

export const accountRouter = createTRPCRouter({
  /** Rules (trial organization, or none when joining through an invitation): sign-up.ts. */
  signUp: publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.scope, input)),

  // ── Email verification ──
  resendVerification: protectedProcedure.mutation(({ ctx }) =>
    account.resendVerification(ctx.scope),
  ),
  verifyEmail: publicProcedure
    .input(tokenInput)
    .mutation(({ ctx, input }) => account.verifyEmail(ctx.scope, input.token)),

  // ── Password reset (signed out) and change (signed in) ──
  requestPasswordReset: publicProcedure
    .input(requestPasswordResetInput)
    .mutation(({ ctx, input }) => account.requestPasswordReset(ctx.scope, input.email)),
  checkResetToken: publicProcedure
    .input(tokenInput)
    .query(({ ctx, input }) => account.checkResetToken(ctx.scope, input.token)),
  resetPassword: publicProcedure
    .input(resetPasswordInput)
    .mutation(({ ctx, input }) => account.resetPassword(ctx.scope, input)),
  changePassword: protectedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => account.changePassword(ctx.scope, input)),

  // ── Sessions ──
  sessions: protectedProcedure.query(({ ctx }) => account.listSessions(ctx.scope)),
  revokeSession: protectedProcedure
    .input(revokeSessionInput)
    .mutation(({ ctx, input }) => account.revokeSession(ctx.scope, input.sessionId)),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => account.signOutEverywhere(ctx.scope)),

  // ── Profile, methods, activity, deletion ──
  profile: protectedProcedure.query(({ ctx }) => account.getProfile(ctx.scope)),
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => account.updateProfile(ctx.scope, input)),
  signInMethods: protectedProcedure.query(({ ctx }) => account.listSignInMethods(ctx.scope)),
  unlinkSignInMethod: protectedProcedure
    .input(unlinkSignInMethodInput)
    .mutation(({ ctx, input }) => account.unlinkSignInMethod(ctx.scope, input)),
  activity: protectedProcedure.query(({ ctx }) => account.accountActivity(ctx.scope)),

  // ── Consents (append-only; the latest answer per kind counts) ──
  consents: protectedProcedure.query(({ ctx }) => currentConsents(ctx.scope)),
  recordConsent: protectedProcedure
    .input(recordConsentInput)
    .mutation(({ ctx, input }) => recordConsent(ctx.scope, input)),
  /** "Download my data": every module's part, as one JSON document. */
  exportData: protectedProcedure.mutation(({ ctx }) => exportMyData(ctx.scope)),
  /** "Request my data": a zip built by a job, its link emailed (one pending per user). */
  requestDataExport: protectedProcedure.mutation(({ ctx }) => requestDataExport(ctx.scope)),
  dataExports: protectedProcedure.query(({ ctx }) => listDataExports(ctx.scope)),
  deletionPreview: protectedProcedure.query(({ ctx }) => account.deletionPreview(ctx.scope)),
  deleteAccount: protectedProcedure
    .input(deleteAccountInput)
    .mutation(({ ctx, input }) => account.deleteAccount(ctx.scope, input)),
});
