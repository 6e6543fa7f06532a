// Single-use, expiring tokens for email verification and password reset (the user_tokens
// table). The raw token exists only in the emailed link; the row holds its SHA-256 hash.
// Issuing a token retires the user's earlier unused tokens of the same purpose, so only the
// newest link works. Free of `next`: the account API uses it.
import { createHash, randomBytes } from "node:crypto";
import type { TransactionClient, UserTokenPurpose } from "@plinth/db";

export const USER_TOKEN_TTL_SECONDS: Record<UserTokenPurpose, number> = {
  EMAIL_VERIFICATION: 24 * 60 * 60,
  PASSWORD_RESET: 30 * 60,
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** 32 random bytes, URL-safe (43 characters). */
export function newRawToken(): string {
  return randomBytes(32).toString("base64url");
}

export interface IssuedToken {
  /** The raw token: put it in the link, never store or log it. */
  token: string;
  expiresAt: Date;
}

export async function issueUserToken(
  tx: TransactionClient,
  input: { userId: string; purpose: UserTokenPurpose; now: Date },
): Promise<IssuedToken> {
  const token = newRawToken();
  const expiresAt = new Date(input.now.getTime() + USER_TOKEN_TTL_SECONDS[input.purpose] * 1000);
  await tx.userToken.updateMany({
    where: { userId: input.userId, purpose: input.purpose, usedAt: null },
    data: { usedAt: input.now },
  });
  await tx.userToken.create({
    data: { userId: input.userId, purpose: input.purpose, tokenHash: hashToken(token), expiresAt },
  });
  return { token, expiresAt };
}

export type TokenFailure = "invalid" | "expired" | "used";
export type TokenCheck = { ok: true; userId: string } | { ok: false; reason: TokenFailure };

/** Well-formed tokens only: anything else is "invalid" without a database lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

/** Read-only check (to show the reset form only for a usable link). */
export async function peekUserToken(
  tx: TransactionClient,
  input: { token: string; purpose: UserTokenPurpose; now: Date },
): Promise<{ ok: true; userId: string; tokenId: string } | { ok: false; reason: TokenFailure }> {
  if (!TOKEN_SHAPE.test(input.token)) return { ok: false, reason: "invalid" };
  const row = await tx.userToken.findUnique({ where: { tokenHash: hashToken(input.token) } });
  if (!row || row.purpose !== input.purpose) return { ok: false, reason: "invalid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, userId: row.userId, tokenId: row.id };
}

/**
 * Checks a token and, when valid, marks it used — inside the caller's transaction, so the
 * token is spent only if the change it authorises commits. A token of another purpose
 * ("foreign") is "invalid", exactly like an unknown one.
 */
export async function consumeUserToken(
  tx: TransactionClient,
  input: { token: string; purpose: UserTokenPurpose; now: Date },
): Promise<TokenCheck> {
  const check = await peekUserToken(tx, input);
  if (!check.ok) return check;
  // Concurrent use: only one transaction flips used_at.
  const spent = await tx.userToken.updateMany({
    where: { id: check.tokenId, usedAt: null },
    data: { usedAt: input.now },
  });
  if (spent.count !== 1) return { ok: false, reason: "used" };
  return { ok: true, userId: check.userId };
}
