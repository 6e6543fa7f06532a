// Re-encryption under the current key (`pnpm vault:rotate`): every entry whose key version is
// not the keyring's current one is decrypted with its old key and sealed again under the
// current key, in batches (one transaction each). Re-running is safe and picks up where an
// interrupted run stopped; an entry rewritten meanwhile (a new value, or another rotation) is
// left alone, because the update only applies to the exact encryption that was read (same
// key version and nonce). Entries that cannot be decrypted are reported and left as they are.
//
// System work across every tenant: it runs on the system client (table owner, no RLS).
import type { PrismaClient } from "@plinth/db";
import { open, seal } from "./cipher.ts";
import { isVaultError, type VaultErrorCode } from "./errors.ts";
import type { Keyring } from "./keyring.ts";

export type RotationDatabase = Pick<PrismaClient, "vaultSecret" | "$transaction">;

export interface RotationOptions {
  /** Entries per transaction (default 200). */
  batchSize?: number;
  /** Stop after this many batches (default: until done); the next run continues. */
  maxBatches?: number;
  onBatch?: (progress: { batch: number; rotated: number; failed: number }) => void;
}

export interface RotationFailure {
  id: string;
  organizationId: string;
  name: string;
  keyVersion: number;
  reason: VaultErrorCode;
}

export interface RotationReport {
  currentVersion: number;
  /** Entries re-encrypted by this run. */
  rotated: number;
  /** Entries this run could not decrypt (left unchanged). */
  failed: RotationFailure[];
  /** Entries per key version after the run; one entry (the current) means old keys can go. */
  entriesByVersion: Record<number, number>;
}

export async function rotateSecrets(
  db: RotationDatabase,
  keyring: Keyring,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be ≥ 1");
  const current = keyring.current;
  const failed: RotationFailure[] = [];
  let rotated = 0;
  let cursor: string | undefined;

  for (let batch = 1; batch <= maxBatches; batch++) {
    // Keyset pagination by id: entries that fail stay behind the cursor, not in the way.
    const rows = await db.vaultSecret.findMany({
      where: { keyVersion: { not: current }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: {
        id: true,
        organizationId: true,
        name: true,
        keyVersion: true,
        nonce: true,
        ciphertext: true,
        authTag: true,
      },
    });
    const last = rows.at(-1);
    if (!last) break;
    cursor = last.id;

    const updates = rows.flatMap((row) => {
      try {
        const binding = { organizationId: row.organizationId, name: row.name };
        const sealed = seal(keyring, binding, open(keyring, binding, row).reveal());
        return [
          db.vaultSecret.updateMany({
            where: { id: row.id, keyVersion: row.keyVersion, nonce: { equals: row.nonce } },
            data: { ...sealed, rotatedAt: new Date() },
          }),
        ];
      } catch (error) {
        if (!isVaultError(error)) throw error;
        const { id, organizationId, name, keyVersion } = row;
        failed.push({ id, organizationId, name, keyVersion, reason: error.code });
        return [];
      }
    });
    const results = await db.$transaction(updates);
    rotated += results.reduce((sum, result) => sum + result.count, 0);
    options.onBatch?.({ batch, rotated, failed: failed.length });
  }

  const counts = await db.vaultSecret.groupBy({
    by: ["keyVersion"],
    _count: { _all: true },
    orderBy: { keyVersion: "desc" },
  });
  return {
    currentVersion: current,
    rotated,
    failed,
    entriesByVersion: Object.fromEntries(counts.map((row) => [row.keyVersion, row._count._all])),
  };
}
