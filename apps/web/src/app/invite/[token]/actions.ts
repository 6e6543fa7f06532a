"use server";
import { redirect } from "next/navigation";
import { signOut } from "@plinth/auth";

/** Signed in with another address: sign out, then sign in again and come back to `path`. */
export async function signOutAndReturn(path: string): Promise<void> {
  const back = /^\/invite\/[A-Za-z0-9_-]{1,128}$/.test(path) ? path : "/";
  await signOut({ redirect: false });
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
}
