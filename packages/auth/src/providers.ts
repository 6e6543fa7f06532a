// Which sign-in methods this deployment offers, derived from the environment only: GitHub and
// Google when their client id + secret are set, a generic OpenID Connect provider (enterprise
// SSO) when issuer + client id + secret are set. Email + password and magic links are always
// on. The sign-in page renders exactly `configuredOAuthProviders(env)`.
// Free of `next/headers`: unit tested on plain env objects.
import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { z } from "zod";
import type { AuthEnv } from "./env.ts";

export type OAuthProviderId = "github" | "google" | "oidc";

export interface ConfiguredProvider {
  id: OAuthProviderId;
  /** Button label ("GitHub", "Google", or AUTH_OIDC_NAME). */
  name: string;
}

type ProviderEnv = Pick<
  AuthEnv,
  | "AUTH_GITHUB_ID"
  | "AUTH_GITHUB_SECRET"
  | "AUTH_GOOGLE_ID"
  | "AUTH_GOOGLE_SECRET"
  | "AUTH_OIDC_ISSUER"
  | "AUTH_OIDC_ID"
  | "AUTH_OIDC_SECRET"
  | "AUTH_OIDC_NAME"
>;

/** The OAuth / OIDC providers that are configured, in display order. */
export function configuredOAuthProviders(env: ProviderEnv): ConfiguredProvider[] {
  const list: ConfiguredProvider[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
    list.push({ id: "oidc", name: env.AUTH_OIDC_NAME });
  }
  return list;
}

/**
 * What our adapter's createUser reads from a provider profile. `emailVerifiedByProvider`
 * is set only when the identity provider asserts `email_verified: true` (Google, OIDC);
 * the adapter then marks the new user's email verified.
 */
export interface ProviderProfileUser {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  emailVerifiedByProvider?: boolean;
}

const str = (value: unknown): string | null =>
  typeof value === "string" && value.length > 0 ? value : null;
const email = (value: unknown): string | null => str(value)?.trim().toLowerCase() ?? null;

/** The OpenID claims we read of Google's profile (its type is `Record<string, any>`). */
const googleClaims = z.looseObject({
  sub: z.string(),
  name: z.unknown(),
  email: z.unknown(),
  picture: z.unknown(),
  email_verified: z.unknown(),
});

export function oauthProviders(env: ProviderEnv): Provider[] {
  const providers: Provider[] = [];
  for (const configured of configuredOAuthProviders(env)) {
    if (configured.id === "github") {
      providers.push(
        GitHub({
          clientId: env.AUTH_GITHUB_ID,
          clientSecret: env.AUTH_GITHUB_SECRET,
          profile: (profile): ProviderProfileUser => ({
            id: String(profile.id),
            name: str(profile.name) ?? str(profile.login),
            email: email(profile.email),
            image: str(profile.avatar_url),
          }),
        }),
      );
    } else if (configured.id === "google") {
      providers.push(
        Google({
          clientId: env.AUTH_GOOGLE_ID,
          clientSecret: env.AUTH_GOOGLE_SECRET,
          profile: (raw): ProviderProfileUser => {
            const profile = googleClaims.parse(raw);
            return {
              id: profile.sub,
              name: str(profile.name),
              email: email(profile.email),
              image: str(profile.picture),
              emailVerifiedByProvider: profile.email_verified === true,
            };
          },
        }),
      );
    } else {
      providers.push({
        id: "oidc",
        name: configured.name,
        type: "oidc",
        issuer: env.AUTH_OIDC_ISSUER,
        clientId: env.AUTH_OIDC_ID,
        clientSecret: env.AUTH_OIDC_SECRET,
        checks: ["pkce", "state", "nonce"],
        authorization: { params: { scope: "openid email profile" } },
        profile: (profile: Record<string, unknown>): ProviderProfileUser => ({
          id: String(profile.sub),
          name: str(profile.name) ?? str(profile.preferred_username),
          email: email(profile.email),
          image: str(profile.picture),
          emailVerifiedByProvider: profile.email_verified === true,
        }),
      });
    }
  }
  return providers;
}
