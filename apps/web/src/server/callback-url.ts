// The callbackUrl itself is checked by safeRedirectPath (@plinth/auth/redirect), the one rule
// for every redirect target that comes from a request.

/** The invitation token in a callback URL that points at an invitation page, or null. */
export function invitationTokenOf(callbackUrl: string): string | null {
  return /^\/invite\/([A-Za-z0-9_-]{43})$/.exec(callbackUrl)?.[1] ?? null;
}
