// Invitation tokens: 32 random bytes (base64url, 43 characters). Only the SHA-256 of a token
// is stored; the token itself exists in the invitation email and nowhere else.
import { createHash, randomBytes } from "node:crypto";

export const INVITATION_TTL_MS = 7 * 86_400_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function generateInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Garbage is refused without a database round trip (the answer is the same as for an unknown token). */
export function looksLikeInvitationToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}
