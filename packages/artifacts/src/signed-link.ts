// The one HMAC link signature of the codebase: the local artifact store's links and the data
// export download links sign their parts with it and check them in constant time. Parts are
// joined by newlines (no part may contain one), so ("a", "b\nc") and ("a\nb", "c") cannot
// collide by accident; a leading purpose string keeps one use's signatures from passing for
// another's under the same secret.
import { createHmac, timingSafeEqual } from "node:crypto";

export type LinkPart = string | number;

function assertParts(parts: readonly LinkPart[]): void {
  if (parts.some((part) => typeof part === "string" && part.includes("\n"))) {
    throw new TypeError("A signed link's parts cannot contain a newline");
  }
}

/** HMAC-SHA256 of the parts (newline-joined) under `secret`, base64url. */
export function signLink(secret: string, parts: readonly LinkPart[]): string {
  assertParts(parts);
  return createHmac("sha256", secret).update(parts.join("\n")).digest("base64url");
}

/** Whether `signature` is the parts' signature, compared in constant time. */
export function verifyLinkSignature(
  secret: string,
  parts: readonly LinkPart[],
  signature: string,
): boolean {
  if (parts.some((part) => typeof part === "string" && part.includes("\n"))) return false;
  const expected = Buffer.from(signLink(secret, parts));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
