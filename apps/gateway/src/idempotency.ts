// Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header), per organization:
//   first use              → claimed: the request runs, its answer is stored
//   same key, same request → the stored answer, replayed (Idempotent-Replayed: true)
//   same key, other request→ 422 IDEMPOTENCY_KEY_REUSED
//   same key, still running→ 409 IDEMPOTENCY_KEY_IN_USE
// Keys expire after 24 h (an expired row is taken over by the next request with its key).
// Answers of 5xx and 429 are not stored (the claim is released: a retry runs again). Rows
// live in idempotency_keys under the organization's RLS scope.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@plinth/core/errors";
import { Prisma } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** 1–255 printable ASCII characters (the draft leaves the syntax to the server). */
export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "Use 1–255 printable ASCII characters");

export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n${body}`).digest("hex");
}

export type Claim = { kind: "claimed" } | { kind: "replay"; status: number; body: unknown };

export async function claimIdempotencyKey(
  scope: OrgScope,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  return scope.db.transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ claimed: boolean }[]>`
      INSERT INTO idempotency_keys (organization_id, key, fingerprint, created_at, expires_at)
      VALUES (${organizationId}, ${key}, ${fingerprint}, ${now}, ${expiresAt})
      ON CONFLICT (organization_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at,
            expires_at = EXCLUDED.expires_at, response_status = NULL, response_body = NULL,
            completed_at = NULL
        WHERE idempotency_keys.expires_at <= ${now}
      RETURNING true AS claimed`;
    if (claimed.length > 0) return { kind: "claimed" };
    const row = await tx.idempotencyKey.findUnique({
      where: { organizationId_key: { organizationId, key } },
      select: { fingerprint: true, responseStatus: true, responseBody: true },
    });
    // Gone between the two statements (released by its request): treat as in use; retry.
    if (!row || row.responseStatus === null) {
      if (row && row.fingerprint !== fingerprint) {
        throw new AppError({ code: "IDEMPOTENCY_KEY_REUSED" });
      }
      throw new AppError({ code: "IDEMPOTENCY_KEY_IN_USE" });
    }
    if (row.fingerprint !== fingerprint) throw new AppError({ code: "IDEMPOTENCY_KEY_REUSED" });
    return { kind: "replay", status: row.responseStatus, body: row.responseBody };
  });
}

/** Stores the answer to replay (or releases the claim when it must not be stored). */
export async function completeIdempotencyKey(
  scope: OrgScope,
  key: string,
  answer: { status: number; body: unknown },
): Promise<void> {
  const where = { organizationId_key: { organizationId: scope.organization.id, key } };
  if (answer.status >= 500 || answer.status === 429) {
    await scope.db.client.idempotencyKey.deleteMany({ where: where.organizationId_key });
    return;
  }
  await scope.db.client.idempotencyKey.update({
    where,
    data: {
      responseStatus: answer.status,
      responseBody:
        answer.body === undefined ? Prisma.JsonNull : (answer.body as Prisma.InputJsonValue),
      completedAt: scope.clock.now(),
    },
  });
}
