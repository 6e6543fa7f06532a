"use server";
import { redirect } from "next/navigation";
import { AuthError, credentialsSchema, signIn, signOut } from "@plinth/auth";

export interface SignInState {
  error: string | null;
  email: string;
}

/** Only same-site paths: "/o/acme/projects", never "//evil.example" or "https://…". */
function safeCallbackUrl(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")
    ? value
    : "/";
}

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const email = typeof formData.get("email") === "string" ? String(formData.get("email")) : "";
  const parsed = credentialsSchema.safeParse({ email, password: formData.get("password") });
  // One message for every failure: it never says whether the account exists.
  const failed: SignInState = { error: "That email and password don't match an active account.", email };
  if (!parsed.success) return failed;
  try {
    await signIn("credentials", { ...parsed.data, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) return failed;
    throw error;
  }
  redirect(safeCallbackUrl(formData.get("callbackUrl")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/sign-in");
}
