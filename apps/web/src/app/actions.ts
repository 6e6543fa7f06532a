"use server";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { AuthError, CredentialsSignin, credentialsSchema, signIn, signOut } from "@plinth/auth";

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInAction(
  _previous: SignInState,
  formData: FormData,
): Promise<SignInState> {
  const entry = formData.get("email");
  const email = typeof entry === "string" ? entry : "";
  const parsed = credentialsSchema.safeParse({ email, password: formData.get("password") });
  // One message for every failure: it never says whether the account exists.
  const failed: SignInState = {
    error: "That email and password don't match an active account.",
    email,
  };
  if (!parsed.success) return failed;
  try {
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (error) {
    // Throttled (growing delays): said as such — the throttle is keyed on the email typed,
    // existing or not, so it reveals nothing about accounts.
    if (error instanceof CredentialsSignin && error.code === "rate_limited") {
      return { error: "Too many sign-in attempts. Wait a little and try again.", email };
    }
    if (error instanceof AuthError) return failed;
    throw error;
  }
  redirect(safeRedirectPath(formData.get("callbackUrl")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/sign-in");
}
