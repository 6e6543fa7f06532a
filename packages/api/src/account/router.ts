// Account: sign-up (a user with a password and their first organization — "auto-create the
// tenant on sign-up"), email verification, password reset/change, sessions, profile, sign-in
// methods, deletion. Signing in is Auth.js's job (@plinth/auth). Thin procedures over
// ./service.ts.
import { z } from "zod";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password";
import { hitRateLimit, SIGN_UP_PER_IP } from "@plinth/auth/rate-limit";
import { Prisma, userPreferencesSchema } from "@plinth/db";
import { AppError } from "../errors.ts";
import { createOrganizationWithOwner } from "../organizations/service.ts";
import { createTRPCRouter, protectedProcedure, publicProcedure, type SessionUser } from "../trpc.ts";
import * as account from "./service.ts";

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

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export const accountRouter = createTRPCRouter({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    if (ctx.ipAddress) {
      const limit = await hitRateLimit(ctx.db.system, `signup:ip:${ctx.ipAddress}`, SIGN_UP_PER_IP);
      if (!limit.allowed) throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: limit.retryAfterSeconds });
    }
    const passwordHash = await hashPassword(input.password);
    // The users table is not tenant-owned; the app role may create rows in it.
    let created;
    try {
      created = await ctx.db.app.user.create({
        data: { name: input.name, email: input.email, passwordHash },
        select: { id: true, email: true, name: true, platformRole: true, status: true },
      });
    } catch (error) {
      // The only thing sign-up says about an existing account is that the email is taken.
      if (isUniqueViolation(error)) throw new AppError({ code: "CONFLICT", field: "email" });
      throw error;
    }
    const user: SessionUser = created;
    try {
      const organization = await createOrganizationWithOwner(
        ctx.db.app,
        { user, ipAddress: ctx.ipAddress, requestId: ctx.requestId },
        {
          name: input.organizationName ?? `${input.name}'s organization`.slice(0, 80),
          ownerId: user.id,
          now: ctx.now(),
        },
      );
      await ctx.db.system.$transaction((tx) => account.startEmailVerification(tx, user, ctx.now()));
      ctx.logger.info("account.signed_up", { userId: user.id, organizationId: organization.id });
      return { userId: user.id, organization: { id: organization.id, slug: organization.slug, name: organization.name } };
    } catch (error) {
      // No half-made accounts: without its organization the user row goes too.
      await ctx.db.app.user.delete({ where: { id: user.id } }).catch(() => undefined);
      throw error;
    }
  }),

  // ── Email verification ──
  resendVerification: protectedProcedure.mutation(({ ctx }) => account.resendVerification(ctx)),
  verifyEmail: publicProcedure.input(z.object({ token: tokenSchema })).mutation(({ ctx, input }) => account.verifyEmail(ctx, input.token)),

  // ── Password reset (signed out) and change (signed in) ──
  requestPasswordReset: publicProcedure
    .input(z.object({ email: emailSchema }))
    .mutation(({ ctx, input }) => account.requestPasswordReset(ctx, input.email)),
  checkResetToken: publicProcedure.input(z.object({ token: tokenSchema })).query(({ ctx, input }) => account.checkResetToken(ctx, input.token)),
  resetPassword: publicProcedure
    .input(z.object({ token: tokenSchema, password: newPasswordSchema }))
    .mutation(({ ctx, input }) => account.resetPassword(ctx, input)),
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(), newPassword: newPasswordSchema }))
    .mutation(({ ctx, input }) => account.changePassword(ctx, input)),

  // ── Sessions ──
  sessions: protectedProcedure.query(({ ctx }) => account.listSessions(ctx)),
  revokeSession: protectedProcedure
    .input(z.object({ sessionId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => account.revokeSession(ctx, input.sessionId)),
  signOutEverywhere: protectedProcedure.mutation(({ ctx }) => account.signOutEverywhere(ctx)),

  // ── Profile, methods, activity, deletion ──
  profile: protectedProcedure.query(({ ctx }) => account.getProfile(ctx)),
  updateProfile: protectedProcedure.input(updateProfileInput).mutation(({ ctx, input }) => account.updateProfile(ctx, input)),
  signInMethods: protectedProcedure.query(({ ctx }) => account.listSignInMethods(ctx)),
  unlinkSignInMethod: protectedProcedure
    .input(z.discriminatedUnion("kind", [z.object({ kind: z.literal("password") }), z.object({ kind: z.literal("oauth"), provider: z.string().min(1).max(64) })]))
    .mutation(({ ctx, input }) => account.unlinkSignInMethod(ctx, input)),
  activity: protectedProcedure.query(({ ctx }) => account.accountActivity(ctx)),
  deletionPreview: protectedProcedure.query(({ ctx }) => account.deletionPreview(ctx)),
  deleteAccount: protectedProcedure
    .input(z.object({ confirmEmail: z.string().max(254) }))
    .mutation(({ ctx, input }) => account.deleteAccount(ctx, input)),
});
