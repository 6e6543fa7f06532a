// Auth.js (NextAuth v5) configuration.
//
// Sessions are database sessions (the Session table), for every provider — including the
// Credentials (email + password) provider, which Auth.js only supports with JWTs out of the
// box. The well-known pattern: leave `session.strategy` unset (with an adapter Auth.js then
// uses "database"), mark the credentials sign-in in the `jwt` callback, and override
// `jwt.encode` to create a Session row and return its token, which Auth.js sets as the
// session cookie. Every later request is then resolved through the adapter like any other
// database session, and signing out (or deleting the row) ends it.
import { randomBytes } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter } from "next-auth/adapters";
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { encode as defaultEncode } from "next-auth/jwt";
import type { Logger } from "@plinth/core/logger";
import { systemClient, type Database } from "@plinth/db";
import { magicLink, sendEmail } from "@plinth/email";
import { authEnv, type AuthEnv } from "./env.ts";
import { verifyPassword } from "./password.ts";
import { oauthProviders, type ProviderProfileUser } from "./providers.ts";
import {
  hitBackoff,
  refundBackoff,
  resetRateLimit,
  RESET_REQUEST_BACKOFF_PER_ACCOUNT,
  SIGN_IN_BACKOFF_PER_ACCOUNT,
  SIGN_IN_BACKOFF_PER_IP,
} from "./rate-limit.ts";
import { isWellFormedSessionToken, SESSION_UPDATE_AGE_SECONDS } from "./session-lookup.ts";
import {
  credentialsSchema,
  publicSessionSchema,
  sessionUserSchema,
  type SessionUser,
} from "./session-user.ts";

/** A throttled password sign-in: the form says "too many attempts", for any email alike. */
export class RateLimitedSignIn extends CredentialsSignin {
  override code = "rate_limited";
}

/** Magic links expire after 15 minutes (Auth.js stores only their hash). */
export const MAGIC_LINK_MAX_AGE_SECONDS = 15 * 60;

/**
 * Session cookie: httpOnly, SameSite=Lax, Secure (and the __Secure- prefix) in production.
 * Set explicitly rather than left to Auth.js defaults, so a test can read the flags.
 */
export function sessionCookie(useSecureCookies: boolean) {
  return {
    name: `${useSecureCookies ? "__Secure-" : ""}authjs.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure: useSecureCookies },
  };
}

/** Secure cookies in production unless the app is explicitly served over plain http. */
export function usesSecureCookies(env: Pick<AuthEnv, "NODE_ENV" | "AUTH_URL">): boolean {
  return env.NODE_ENV === "production" && !env.AUTH_URL?.startsWith("http://");
}

export interface RequestInfo {
  ipAddress: string | null;
  userAgent: string | null;
}

export interface AuthConfigOptions {
  db: Database;
  /** Where the credentials sign-in request came from (stored on the Session row). */
  requestInfo?: () => Promise<RequestInfo>;
  /** Defaults to the process environment (tests pass their own). */
  env?: AuthEnv;
  /** Auth.js's own errors and warnings go here (default: Auth.js prints them to the console). */
  logger?: Logger;
}

/** A session token: 32 random bytes, URL-safe. Only ever held by the cookie and the row. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

function toSessionUser(user: unknown): SessionUser | null {
  const parsed = sessionUserSchema.safeParse(user);
  return parsed.success ? parsed.data : null;
}

/** Users, accounts and sessions belong to no tenant: Auth.js works on the privileged client. */
const authDb = (db: Database) =>
  systemClient(db, "Auth.js: users, linked accounts, sessions and sign-in throttles");

/** The Prisma adapter over the privileged client, refusing sessions of inactive users. */
export function createAuthAdapter(db: Database): Adapter {
  const system = authDb(db);
  // @auth/prisma-adapter types its argument as @prisma/client's PrismaClient; ours is the
  // generated client of the same Prisma version (prisma-client generator), structurally equal.
  const base = PrismaAdapter(system);
  return {
    ...base,
    // A malformed cookie is no session (see isWellFormedSessionToken): no query, no error.
    async getSessionAndUser(sessionToken) {
      if (!isWellFormedSessionToken(sessionToken)) return null;
      const found = await base.getSessionAndUser?.(sessionToken);
      if (!found) return null;
      const user = toSessionUser(found.user);
      if (!user || user.status !== "ACTIVE") {
        // A suspended or deleted user's sessions end on their next request.
        await system.session.deleteMany({ where: { userId: found.user.id } });
        return null;
      }
      return found;
    },
    updateSession: async (session) =>
      isWellFormedSessionToken(session.sessionToken)
        ? ((await base.updateSession?.(session)) ?? null)
        : null,
    async deleteSession(sessionToken) {
      if (isWellFormedSessionToken(sessionToken)) await base.deleteSession?.(sessionToken);
    },
    // Emails are stored lower-case (sign-up and the providers normalise them).
    getUserByEmail: (email) =>
      email ? (base.getUserByEmail?.(email.trim().toLowerCase()) ?? null) : null,
    // New users from OAuth / OIDC / magic links: only known columns (provider profiles carry
    // extras), email lower-case, verified when the identity provider asserted it.
    async createUser(user) {
      const profile = user as typeof user & Partial<ProviderProfileUser>;
      // Every account needs an address (sign-in links, resets, invitations).
      if (!profile.email) throw new Error("The identity provider did not share an email address");
      const created = await system.user.create({
        data: {
          email: profile.email.trim().toLowerCase(),
          name: profile.name ?? null,
          image: profile.image ?? null,
          emailVerified:
            profile.emailVerified ?? (profile.emailVerifiedByProvider ? new Date() : null),
        },
      });
      return { ...created, emailVerified: created.emailVerified };
    },
  };
}

export function createAuthConfig(options: AuthConfigOptions): NextAuthConfig {
  const env = options.env ?? authEnv();
  if (!env.AUTH_SECRET) {
    throw new Error(
      "AUTH_SECRET is not set (the dev script sets one; production must configure it)",
    );
  }
  const { db } = options;
  const system = authDb(db);
  const adapter = createAuthAdapter(db);
  const maxAge = env.AUTH_SESSION_MAX_AGE_DAYS * 86_400;
  const useSecureCookies = usesSecureCookies(env);

  const log = options.logger;

  return {
    adapter,
    secret: env.AUTH_SECRET,
    ...(log
      ? {
          logger: {
            // A wrong password or a throttled attempt is an outcome, not a server fault.
            error: (error: Error) =>
              error instanceof CredentialsSignin
                ? log.info({ code: error.code }, "sign-in refused")
                : log.error({ err: error }, "auth error"),
            warn: (code: string) => log.warn({ code }, "auth warning"),
            debug: (message: string, metadata?: unknown) => log.debug({ metadata }, message),
          },
        }
      : {}),
    ...(env.AUTH_TRUST_HOST ? { trustHost: true } : {}),
    useSecureCookies,
    cookies: { sessionToken: sessionCookie(useSecureCookies) },
    // No `strategy`: with an adapter Auth.js uses database sessions (see the header comment).
    session: { maxAge, updateAge: SESSION_UPDATE_AGE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in", verifyRequest: "/sign-in?check=email" },
    providers: [
      Credentials({
        id: "credentials",
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          // Throttle guessing per account and per client; a throttled attempt fails like a
          // wrong password (no hint whether the account exists).
          // Growing delays per account and per IP; the same for unknown emails.
          const info = (await options.requestInfo?.().catch(() => null)) ?? null;
          const emailKey = `signin:email:${email}`;
          const ipKey = info?.ipAddress ? `signin:ip:${info.ipAddress}` : null;
          const [perEmail, perIp] = await Promise.all([
            hitBackoff(system, emailKey, SIGN_IN_BACKOFF_PER_ACCOUNT),
            ipKey ? hitBackoff(system, ipKey, SIGN_IN_BACKOFF_PER_IP) : null,
          ]);
          if (!perEmail.allowed || (perIp && !perIp.allowed)) throw new RateLimitedSignIn();
          const user = await system.user.findUnique({
            where: { email },
            select: {
              id: true,
              email: true,
              name: true,
              image: true,
              passwordHash: true,
              status: true,
            },
          });
          // Always one argon2 verification, whether or not the account exists.
          const valid = await verifyPassword(user?.passwordHash ?? null, password);
          if (!user || !valid || user.status !== "ACTIVE") return null;
          await Promise.all([
            resetRateLimit(system, emailKey),
            ipKey ? refundBackoff(system, ipKey, SIGN_IN_BACKOFF_PER_IP) : null,
          ]);
          return { id: user.id, email: user.email, name: user.name, image: user.image };
        },
      }),
      {
        // Magic links: Auth.js creates the token and stores its hash (verification_tokens);
        // we only deliver the link, through packages/email (the dev mailbox offline).
        id: "email",
        type: "email",
        name: "Email link",
        maxAge: MAGIC_LINK_MAX_AGE_SECONDS,
        async sendVerificationRequest({ identifier, url }) {
          const address = identifier.trim().toLowerCase();
          const info = (await options.requestInfo?.().catch(() => null)) ?? null;
          const [perEmail, perIp] = await Promise.all([
            hitBackoff(system, `magic:email:${address}`, RESET_REQUEST_BACKOFF_PER_ACCOUNT),
            info?.ipAddress
              ? hitBackoff(system, `magic:ip:${info.ipAddress}`, SIGN_IN_BACKOFF_PER_IP)
              : null,
          ]);
          // Throttled, unknown or inactive: nothing is sent, and the page says the same
          // "check your email" as for a real account.
          if (!perEmail.allowed || (perIp && !perIp.allowed)) return;
          const user = await system.user.findUnique({
            where: { email: address },
            select: { status: true },
          });
          if (user?.status !== "ACTIVE") return;
          await sendEmail(system, {
            to: address,
            ...magicLink({ url, expiresInSeconds: MAGIC_LINK_MAX_AGE_SECONDS }),
          });
        },
      },
      ...oauthProviders(env),
    ],
    callbacks: {
      // Suspended or deleted users cannot start a session with any method.
      signIn({ user, email }) {
        // A magic-link *request* is answered alike for every address (sendVerificationRequest
        // sends nothing to inactive accounts); refusing here would answer "AccessDenied" for
        // suspended ones and so tell them apart. Following the link comes back here without
        // `verificationRequest` and is refused then.
        if (email?.verificationRequest) return true;
        const status = (user as { status?: unknown }).status;
        return status === undefined || status === "ACTIVE";
      },
      // Only reached by the credentials flow (database sessions skip JWTs otherwise).
      jwt({ token, account }) {
        if (account?.provider === "credentials") token.credentials = true;
        return token;
      },
      // What `auth()` returns and GET /api/auth/session answers to any script on the page:
      // an allow-list. Auth.js hands this callback the whole Session and User rows (the
      // session token, the password hash); none of that may pass.
      session({ session, user }) {
        const parsed = publicSessionSchema.safeParse({ user, expires: session.expires });
        return parsed.success ? parsed.data : { expires: session.expires };
      },
    },
    jwt: {
      async encode(params) {
        const token = params.token;
        if (token?.credentials === true && typeof token.sub === "string") {
          const sessionToken = newSessionToken();
          const info = (await options.requestInfo?.().catch(() => null)) ?? null;
          await system.session.create({
            data: {
              sessionToken,
              userId: token.sub,
              expires: new Date(Date.now() + maxAge * 1000),
              ipAddress: info?.ipAddress?.slice(0, 64) ?? null,
              userAgent: info?.userAgent?.slice(0, 512) ?? null,
            },
          });
          return sessionToken;
        }
        return defaultEncode(params);
      },
    },
  };
}
