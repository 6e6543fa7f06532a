// Account: sign-up (a user with a password and their first organization — "auto-create the
// tenant on sign-up"). Signing in is Auth.js's job (@plinth/auth).
import { z } from "zod";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@plinth/auth/password";
import { hitRateLimit, SIGN_UP_PER_IP } from "@plinth/auth/rate-limit";
import { Prisma } from "@plinth/db";
import { AppError } from "../errors.ts";
import { createOrganizationWithOwner } from "../organizations/service.ts";
import { createTRPCRouter, publicProcedure, type SessionUser } from "../trpc.ts";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email("Enter a valid email address").max(254)),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH),
  /** Defaults to "<name>'s organization". */
  organizationName: z.string().trim().min(2).max(80).optional(),
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
      ctx.logger.info("account.signed_up", { userId: user.id, organizationId: organization.id });
      return { userId: user.id, organization: { id: organization.id, slug: organization.slug, name: organization.name } };
    } catch (error) {
      // No half-made accounts: without its organization the user row goes too.
      await ctx.db.app.user.delete({ where: { id: user.id } }).catch(() => undefined);
      throw error;
    }
  }),
});
