// The development keyring, kept like the auth secret (scripts/dev.ts): generated once into
// the git-ignored .plinth/ folder and read on every later run, so secrets stored in the dev
// database stay readable across restarts. Never used in production (ENCRYPTION_KEYS is).
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "@plinth/db/local-database";
import { generateKeyEntry } from "./keyring.ts";

export const LOCAL_KEYS_FILE = path.join(REPO_ROOT, ".plinth", "encryption-keys");

/** ENCRYPTION_KEYS for development: the contents of .plinth/encryption-keys (made if missing). */
export async function localEncryptionKeys(file = LOCAL_KEYS_FILE): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const keys = generateKeyEntry(1);
  await writeFile(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}
