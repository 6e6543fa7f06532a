// The account area needs a signed-in user. The check lives in the layout, outside the
// loading.tsx boundary, so a signed-out visitor gets a real redirect (307) before anything
// streams, instead of a 200 skeleton followed by a client-side redirect.
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionUser } from "~/server/session.ts";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  if (!(await getSessionUser())) redirect("/sign-in?callbackUrl=%2Faccount");
  return children;
}
