// Vault commands (docs/vault.md):
//   pnpm vault:rotate [--batch-size=N]   re-encrypt every secret not under the current key
//   pnpm vault:new-key                   print a new ENCRYPTION_KEYS entry (the next version)
// Keys come from ENCRYPTION_KEYS; in development, when it is unset, from .plinth/ as
// `npm run dev` uses them. The database is DATABASE_URL or the local embedded one.
import { createPrismaClient } from "@plinth/db";
import { openLocalDatabase } from "@plinth/db/local-database";
import { Keyring, VaultError, generateKeyEntry } from "@plinth/vault";
import { localEncryptionKeys } from "@plinth/vault/local-keys";
import { rotateSecrets } from "@plinth/vault/rotate";

const [command, ...args] = process.argv.slice(2);
const log = (line: string) => console.log(line);

async function keyring(): Promise<Keyring> {
  if (process.env.ENCRYPTION_KEYS) return Keyring.parse(process.env.ENCRYPTION_KEYS);
  if (process.env.NODE_ENV === "production")
    throw new VaultError("NOT_CONFIGURED", [{ field: "ENCRYPTION_KEYS", message: "not set" }]);
  return Keyring.parse(await localEncryptionKeys());
}

function batchSize(): number {
  const flag = args.find((arg) => arg.startsWith("--batch-size="));
  const value = flag ? Number(flag.slice("--batch-size=".length)) : 200;
  if (!Number.isInteger(value) || value < 1) throw new Error("--batch-size must be an integer ≥ 1");
  return value;
}

async function rotate() {
  const keys = await keyring();
  const database = await openLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  // Every tenant's entries: the system client (table owner) is the privileged path.
  const system = createPrismaClient(database.url, { role: "system", poolMax: 2 });
  try {
    log(`re-encrypting under v${keys.current} (${keys.toString()})`);
    const report = await rotateSecrets(system, keys, {
      batchSize: batchSize(),
      onBatch: ({ batch, rotated, failed }) =>
        log(`  batch ${batch}: ${rotated} re-encrypted, ${failed} failed so far`),
    });
    const versions = Object.entries(report.entriesByVersion)
      .map(([version, count]) => `v${version}: ${count}`)
      .join(", ");
    log(`${report.rotated} re-encrypted; entries by key version: ${versions || "none"}`);
    for (const failure of report.failed)
      log(
        `  ✗ ${failure.organizationId}/${failure.name} (v${failure.keyVersion}): ${failure.reason}`,
      );
    const old = Object.keys(report.entriesByVersion).filter((v) => Number(v) !== keys.current);
    if (report.failed.length > 0) process.exitCode = 1;
    else if (old.length === 0 && keys.versions.length > 1)
      log(`every entry is under v${keys.current}: the older keys can be removed`);
  } finally {
    await system.$disconnect();
    await database.stop();
  }
}

function newKey() {
  const configured = process.env.ENCRYPTION_KEYS
    ? Keyring.parse(process.env.ENCRYPTION_KEYS)
    : null;
  const next = configured ? Math.max(...configured.versions) + 1 : 1;
  log(generateKeyEntry(next));
  console.error(
    "Put it first in ENCRYPTION_KEYS (keep the current keys after it), deploy, then run pnpm vault:rotate.",
  );
}

try {
  if (command === "rotate") await rotate();
  else if (command === "new-key") newKey();
  else throw new Error("usage: vault.ts rotate [--batch-size=N] | new-key");
} catch (error) {
  // A VaultError names the setting and the problem, never a key.
  if (error instanceof VaultError) {
    console.error(
      `${error.message}${error.issues.map((i) => `\n  ${i.field}: ${i.message}`).join("")}`,
    );
    process.exit(1);
  }
  throw error;
}
