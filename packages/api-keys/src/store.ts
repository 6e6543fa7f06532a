// API keys in the database: what a verifier loads by hash, and the two writes the management
// services (create, rotate) are built on. These functions check no permission and write no
// audit entry — the services do, inside the same transaction. Only the SHA-256 of a key is
// written; the key itself is returned once to the caller.
import { z } from "zod";
import type { PrismaClient, TransactionClient } from "@plinth/db";
import { generateApiKey, type ApiKeyEnvironment } from "./format.ts";

/** What a verifier caches per key: no hash, nothing secret. */
export interface ApiKeyRecord {
  id: string;
  organizationId: string;
  name: string;
  environment: ApiKeyEnvironment;
  scopes: readonly string[];
  /** Replaces the plan's API rate limit when set. */
  rateLimit: { requests: number; windowSeconds: number } | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** A rotated key works until then. */
  graceEndsAt: Date | null;
}

type Db = PrismaClient | TransactionClient;

const RECORD_SELECT = {
  id: true,
  organizationId: true,
  name: true,
  environment: true,
  scopes: true,
  rateLimitRequests: true,
  rateLimitWindowSeconds: true,
  expiresAt: true,
  revokedAt: true,
  graceEndsAt: true,
} as const;

type SelectedRow = {
  id: string;
  organizationId: string;
  name: string;
  environment: "LIVE" | "TEST";
  scopes: string[];
  rateLimitRequests: number | null;
  rateLimitWindowSeconds: number | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  graceEndsAt: Date | null;
};

function toRecord(row: SelectedRow): ApiKeyRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    environment: row.environment === "LIVE" ? "live" : "test",
    scopes: row.scopes,
    rateLimit:
      row.rateLimitRequests !== null && row.rateLimitWindowSeconds !== null
        ? { requests: row.rateLimitRequests, windowSeconds: row.rateLimitWindowSeconds }
        : null,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    graceEndsAt: row.graceEndsAt,
  };
}

/** The key with this hash, whatever its state (the verifier decides), or null. */
export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKeyRecord | null> {
  const row = await db.apiKey.findUnique({ where: { keyHash: hash }, select: RECORD_SELECT });
  return row ? toRecord(row) : null;
}

/** Whether a key may be used at `now`: not revoked, not expired, not past its grace window. */
export function isUsable(record: ApiKeyRecord, now: number): boolean {
  if (record.revokedAt) return false;
  if (record.expiresAt && record.expiresAt.getTime() <= now) return false;
  if (record.graceEndsAt && record.graceEndsAt.getTime() <= now) return false;
  return true;
}

const MAX_GRACE_SECONDS = 30 * 86_400;

export const insertApiKeyInput = z.object({
  organizationId: z.string().min(1).max(191),
  name: z.string().trim().min(1).max(100),
  environment: z.enum(["live", "test"]).default("live"),
  scopes: z.array(z.string().min(1).max(100)).max(50).default([]),
  expiresAt: z.date().nullable().default(null),
  createdById: z.string().min(1).max(191).nullable().default(null),
  rateLimit: z
    .object({
      requests: z.number().int().min(1).max(1_000_000),
      windowSeconds: z.number().int().min(1).max(86_400),
    })
    .nullable()
    .default(null),
});
export type InsertApiKeyInput = z.input<typeof insertApiKeyInput>;

export interface IssuedApiKey {
  /** The full key: give it to its owner now; it cannot be read again. */
  key: string;
  record: ApiKeyRecord & { prefix: string; lastFour: string; createdAt: Date };
}

/** Generates a key and stores its hash (call inside the service's transaction). */
export async function insertApiKey(
  db: Db,
  input: InsertApiKeyInput,
  extra: { rotatedFromId?: string; secretBytes?: Buffer } = {},
): Promise<IssuedApiKey> {
  const data = insertApiKeyInput.parse(input);
  const generated = generateApiKey(data.environment, extra.secretBytes);
  const row = await db.apiKey.create({
    data: {
      organizationId: data.organizationId,
      name: data.name,
      environment: data.environment === "live" ? "LIVE" : "TEST",
      prefix: generated.prefix,
      lastFour: generated.lastFour,
      keyHash: generated.hash,
      scopes: [...new Set(data.scopes)],
      rateLimitRequests: data.rateLimit?.requests ?? null,
      rateLimitWindowSeconds: data.rateLimit?.windowSeconds ?? null,
      expiresAt: data.expiresAt,
      createdById: data.createdById,
      rotatedFromId: extra.rotatedFromId ?? null,
    },
    select: { ...RECORD_SELECT, prefix: true, lastFour: true, createdAt: true },
  });
  return {
    key: generated.key,
    record: {
      ...toRecord(row),
      prefix: row.prefix,
      lastFour: row.lastFour,
      createdAt: row.createdAt,
    },
  };
}

export const rotateApiKeyInput = z.object({
  organizationId: z.string().min(1).max(191),
  id: z.string().min(1).max(191),
  /** How long the old key keeps working (0: it stops now). */
  graceSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS),
  createdById: z.string().min(1).max(191).nullable().default(null),
});
export type RotateApiKeyInput = z.input<typeof rotateApiKeyInput>;

/**
 * Replaces a usable key by a new one with the same name, scopes, limits and expiry; the old
 * one keeps working for the grace window (both are listed). Null when the organization has
 * no such usable, not yet rotated key. Needs a transaction client: read, mark and insert
 * happen together, and the row lock makes a second concurrent rotation of the key find it
 * already rotated.
 */
export async function rotateApiKey(
  tx: TransactionClient,
  input: RotateApiKeyInput,
  now: Date = new Date(),
): Promise<(IssuedApiKey & { previous: { id: string; graceEndsAt: Date } }) | null> {
  const data = rotateApiKeyInput.parse(input);
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT k.id FROM api_keys k
    WHERE k.id = ${data.id} AND k.organization_id = ${data.organizationId}
      AND k.revoked_at IS NULL AND k.grace_ends_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM api_keys n WHERE n.rotated_from_id = k.id)
    FOR UPDATE OF k`;
  if (locked.length === 0) return null;
  const old = await tx.apiKey.findUniqueOrThrow({ where: { id: data.id }, select: RECORD_SELECT });
  const record = toRecord(old);
  if (!isUsable(record, now.getTime())) return null;
  const graceEnd = new Date(now.getTime() + data.graceSeconds * 1000);
  const graceEndsAt =
    record.expiresAt && record.expiresAt.getTime() < graceEnd.getTime()
      ? record.expiresAt
      : graceEnd;
  await tx.apiKey.update({ where: { id: data.id }, data: { graceEndsAt } });
  const issued = await insertApiKey(
    tx,
    {
      organizationId: record.organizationId,
      name: record.name,
      environment: record.environment,
      scopes: [...record.scopes],
      expiresAt: record.expiresAt,
      createdById: data.createdById,
      rateLimit: record.rateLimit,
    },
    { rotatedFromId: record.id },
  );
  return { ...issued, previous: { id: record.id, graceEndsAt } };
}
