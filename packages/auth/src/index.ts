// @plinth/auth for Next.js server code: Auth.js handlers and helpers over database sessions.
import "server-only";
import { cookies, headers } from "next/headers";
import NextAuth from "next-auth";
import { rootLogger } from "@plinth/core/root-logger";
import { getDatabase, systemClient } from "@plinth/db";
import { createAuthConfig, sessionCookie, usesSecureCookies } from "./config.ts";
import { authEnv } from "./env.ts";
import { configuredOAuthProviders, type ConfiguredProvider } from "./providers.ts";
import { isWellFormedSessionToken, lookupSession } from "./session-lookup.ts";
import { clientIp } from "./request-info.ts";
import { publicSessionSchema, type SessionUser } from "./session-user.ts";

async function requestInfo() {
  const h = await headers();
  return { ipAddress: clientIp(h), userAgent: h.get("user-agent") };
}

// Lazy configuration: nothing (environment, database) is touched until a request needs it.
const nextAuth = NextAuth(() =>
  createAuthConfig({
    db: getDatabase(),
    requestInfo,
    logger: rootLogger().child({ source: "auth" }),
  }),
);

export const handlers: typeof nextAuth.handlers = nextAuth.handlers;
export const auth: typeof nextAuth.auth = nextAuth.auth;
export const signIn: typeof nextAuth.signIn = nextAuth.signIn;
export const signOut: typeof nextAuth.signOut = nextAuth.signOut;

/** Sessions and users belong to no tenant: the lookup reads them on the privileged client. */
const sessionDb = () => systemClient(getDatabase(), "session lookup: cookie → session → user");

/** This request's session cookie through the one-statement lookup. */
async function lookupThisRequest() {
  const cookieStore = await cookies(); // first: marks the page dynamic before any env read
  const env = authEnv();
  const token = cookieStore.get(sessionCookie(usesSecureCookies(env)).name)?.value;
  return lookupSession(sessionDb(), token, {
    maxAgeSeconds: env.AUTH_SESSION_MAX_AGE_DAYS * 86_400,
  });
}

/** The signed-in, active user of this request, or null. (apps/web wraps it in React's cache.) */
export async function getSessionUser(): Promise<SessionUser | null> {
  // Fast path (one query); Auth.js handles expiry, sliding extension and inactive users.
  const found = await lookupThisRequest();
  if (found.kind === "none") return null;
  if (found.kind === "user") return found.user;
  // Auth.js applies its rules (expiry, sliding extension); its adapter answers no session for
  // a user who is not active (config.ts), so a user it returns is active.
  const parsed = publicSessionSchema.safeParse(await auth());
  if (!parsed.success) return null;
  const { id, email, name, platformRole, emailVerified } = parsed.data.user;
  return { id, email, name, platformRole, emailVerified, status: "ACTIVE" };
}

/**
 * The signed-in user by the one-statement lookup alone, else null — never Auth.js: apps/web's
 * proxy (the terms step) must not extend or end a session with a Set-Cookie it cannot send. A
 * session due for its daily extension still names its user; the page's own getSessionUser()
 * then extends it.
 */
export async function knownSessionUser(): Promise<SessionUser | null> {
  const found = await lookupThisRequest();
  if (found.kind === "user") return found.user;
  return found.kind === "delegate" ? (found.dueUser ?? null) : null;
}

/** The OAuth / OIDC providers this deployment offers (the sign-in and account pages). */
export function configuredProviders(): ConfiguredProvider[] {
  return configuredOAuthProviders(authEnv());
}

/** This request's session token (to mark "this device"); never log or return it. */
export async function currentSessionToken(): Promise<string | null> {
  const name = sessionCookie(usesSecureCookies(authEnv())).name;
  const token = (await cookies()).get(name)?.value;
  return isWellFormedSessionToken(token) ? token : null;
}

/** The app's public origins, for the same-origin rule of mutations. */
export function appOrigins(): string[] {
  const url = authEnv().AUTH_URL;
  return url ? [url] : [];
}

export { RateLimitedSignIn } from "./config.ts";
export { checkRequestOrigin, bearerToken, type OriginVerdict } from "./origin.ts";
export type { ConfiguredProvider, OAuthProviderId } from "./providers.ts";
export { clientIp } from "./request-info.ts";
export { credentialsSchema, sessionUserSchema, type SessionUser } from "./session-user.ts";
export { AuthError, CredentialsSignin } from "next-auth";
