// The terms step (docs/identity.md, "Consents"): a signed-in user whose newest TERMS answer does
// not grant the version in force is sent to /accept-terms before any page of the app — accounts
// made by an OAuth / OIDC / magic-link first sign-in never saw sign-up's clickwrap, and a bumped
// TERMS_CONSENT_VERSION asks everyone again. Checked once, in src/proxy.ts (pages only: API
// routes and the gateway are not affected). Free of `next`, so tests drive it directly.
import { safeRedirectPath } from "@plinth/auth/redirect";
import { hasAcceptedCurrentTerms } from "@plinth/platform/consents";
import type { UserScope } from "@plinth/platform";

export const TERMS_STEP_PATH = "/accept-terms";

/**
 * Pages a signed-in user reaches without the terms: the step itself, the texts it asks them
 * to accept, and the sign-in pages (a signed-in visitor is sent on from them to a page that
 * is checked).
 */
const OPEN_PAGES = [
  TERMS_STEP_PATH,
  "/terms",
  "/privacy",
  "/demo",
  "/sign-in",
  "/sign-up",
  "/verify-email",
  "/forgot-password",
  "/reset-password",
  "/dev/mailbox",
];

/**
 * Whether the step guards this request. Page loads only (GET/HEAD): a server action is a POST
 * to the page it was called from, so sign-out stays reachable from any page.
 */
export function termsStepGuards(method: string, pathname: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  return !OPEN_PAGES.some((page) => pathname === page || pathname.startsWith(`${page}/`));
}

/** The step's address, coming back to this page afterwards (the callbackUrl rule applied). */
export function termsStepUrl(pathname: string, search: string): string {
  const back = safeRedirectPath(`${pathname}${search}`);
  return back === "/"
    ? TERMS_STEP_PATH
    : `${TERMS_STEP_PATH}?callbackUrl=${encodeURIComponent(back)}`;
}

/** Where this page request goes instead (the step), or null to serve it. `scope`: null signed out. */
export async function termsStepRedirect(
  scope: UserScope | null,
  request: { method: string; pathname: string; search: string },
): Promise<string | null> {
  if (!scope || !termsStepGuards(request.method, request.pathname)) return null;
  if (await hasAcceptedCurrentTerms(scope)) return null;
  return termsStepUrl(request.pathname, request.search);
}
