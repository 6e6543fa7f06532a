"use server";
// Sign-in with an OAuth / OIDC provider (also used to link one from the account page) and
// magic-link requests. Auth.js does the work; these only validate what the form sent.
import { z } from "zod";
import { AuthError, configuredProviders, signIn } from "@plinth/auth";
import { safeRedirectPath } from "@plinth/auth/redirect";

export async function oauthSignInAction(formData: FormData): Promise<void> {
  const provider = formData.get("provider");
  const configured = configuredProviders().find((p) => p.id === provider);
  if (!configured) throw new Error("Unknown sign-in provider");
  // Redirects (throws NEXT_REDIRECT) to the provider; back at /api/auth/callback/<id>.
  await signIn(configured.id, { redirectTo: safeRedirectPath(formData.get("callbackUrl")) });
}

export interface MagicLinkState {
  sent: boolean;
  error: string | null;
  email: string;
}

const emailSchema = z.string().trim().toLowerCase().pipe(z.email().max(254));

export async function magicLinkAction(
  _previous: MagicLinkState,
  formData: FormData,
): Promise<MagicLinkState> {
  const entry = formData.get("email");
  const raw = typeof entry === "string" ? entry : "";
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) return { sent: false, error: "Enter a valid email address.", email: raw };
  try {
    await signIn("email", {
      email: parsed.data,
      redirect: false,
      redirectTo: safeRedirectPath(formData.get("callbackUrl")),
    });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
  }
  // The same answer whether or not an account exists (nothing is sent to unknown addresses).
  return { sent: true, error: null, email: parsed.data };
}
