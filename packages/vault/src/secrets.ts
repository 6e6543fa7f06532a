// Secrets an organization keeps with Plinth, encrypted at rest (cipher.ts) in the tenant-owned
// vault_secrets table. Every function takes the database client of the caller's transaction
// and filters by the organization it names; under the app client, row-level security holds
// it to the tenant of the transaction as well (docs/tenancy.md).
//
// Only `readSecret` decrypts, and it returns a SecretValue (prints as "[secret]"): it is for
// the server-side adapter that calls the service the secret belongs to. Everything a person
// may see goes through `describeSecret`/`listSecrets`: name, masked hint, key version, date.
import type { TransactionClient } from "@plinth/db";
import { z } from "zod";
import { open, seal } from "./cipher.ts";
import { vaultKeyring } from "./env.ts";
import { VaultError } from "./errors.ts";
import type { Keyring } from "./keyring.ts";
import { SecretValue } from "./secret-value.ts";

/** The client of a transaction (tenantTransaction / ctx.tx), or a whole client. */
export type VaultDatabase = Pick<TransactionClient, "vaultSecret">;

/** What describe/list answer: never the plaintext, the ciphertext or the nonce. */
export interface SecretDescription {
  name: string;
  /** "••••" and up to the last 4 characters; secrets under 12 characters show none. */
  hint: string;
  keyVersion: number;
  /** When the value was last set (re-encryption by rotation does not change it). */
  updatedAt: Date;
}

export const MAX_SECRET_LENGTH = 65_536;
const HINT_CHARACTERS = 4;
const HINT_MIN_LENGTH = 12;
const MASK = "••••";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Organization ids are UUIDs (chosen by the organizations service before the insert).
const organizationId = z.uuid({ message: "must be an organization id" });
const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._:-]*$/, {
    message: "lowercase letters, digits and . _ : - only (e.g. openai.api_key)",
  });
const plaintext = z
  .string()
  .min(1, { message: "must not be empty" })
  .max(MAX_SECRET_LENGTH, { message: `at most ${MAX_SECRET_LENGTH} characters` })
  .refine((value) => !value.includes("\0") && !LONE_SURROGATE.test(value), {
    message: "must be text (no NUL, no lone surrogate)",
  });

const secretRef = z.object({ organizationId, name });
const putInput = secretRef.extend({
  plaintext: z.union([z.instanceof(SecretValue).transform((value) => value.reveal()), plaintext]),
});

/** Validates, or refuses with INVALID_INPUT naming each field (never echoing a value). */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new VaultError(
    "INVALID_INPUT",
    result.error.issues.map((issue) => ({
      field: issue.path.join(".") || "input",
      message: issue.message,
    })),
  );
}

/** The stored part of the hint: the last characters of a long enough secret, else nothing. */
function hintOf(value: string): string {
  const characters = Array.from(value);
  return characters.length >= HINT_MIN_LENGTH ? characters.slice(-HINT_CHARACTERS).join("") : "";
}

const DESCRIPTION = { name: true, hint: true, keyVersion: true, updatedAt: true } as const;

function describe(row: { name: string; hint: string; keyVersion: number; updatedAt: Date }) {
  return {
    name: row.name,
    hint: `${MASK}${row.hint}`,
    keyVersion: row.keyVersion,
    updatedAt: row.updatedAt,
  } satisfies SecretDescription;
}

/** Stores (or replaces) a secret under the current key; answers its description. */
export async function putSecret(
  db: VaultDatabase,
  input: { organizationId: string; name: string; plaintext: string | SecretValue },
  keyring: Keyring = vaultKeyring(),
): Promise<SecretDescription> {
  const { organizationId, name, plaintext } = parse(putInput, input);
  const sealed = seal(keyring, { organizationId, name }, plaintext);
  const hint = hintOf(plaintext);
  const now = new Date();
  const row = await db.vaultSecret.upsert({
    where: { organizationId_name: { organizationId, name } },
    create: { organizationId, name, ...sealed, hint, createdAt: now, updatedAt: now },
    update: { ...sealed, hint, updatedAt: now, rotatedAt: null },
    select: DESCRIPTION,
  });
  return describe(row);
}

/**
 * The decrypted secret, for server-side adapters only (never return or log it); null when
 * none is stored. Refuses with KEY_UNAVAILABLE or DECRYPTION_FAILED.
 */
export async function readSecret(
  db: VaultDatabase,
  input: { organizationId: string; name: string },
  keyring: Keyring = vaultKeyring(),
): Promise<SecretValue | null> {
  const { organizationId, name } = parse(secretRef, input);
  const row = await db.vaultSecret.findUnique({
    where: { organizationId_name: { organizationId, name } },
    select: { keyVersion: true, nonce: true, ciphertext: true, authTag: true },
  });
  return row ? open(keyring, { organizationId, name }, row) : null;
}

export async function describeSecret(
  db: VaultDatabase,
  input: { organizationId: string; name: string },
): Promise<SecretDescription | null> {
  const { organizationId, name } = parse(secretRef, input);
  const row = await db.vaultSecret.findUnique({
    where: { organizationId_name: { organizationId, name } },
    select: DESCRIPTION,
  });
  return row ? describe(row) : null;
}

export async function listSecrets(
  db: VaultDatabase,
  input: { organizationId: string },
): Promise<SecretDescription[]> {
  const { organizationId } = parse(secretRef.pick({ organizationId: true }), input);
  const rows = await db.vaultSecret.findMany({
    where: { organizationId },
    orderBy: { name: "asc" },
    select: DESCRIPTION,
  });
  return rows.map(describe);
}

/** Deletes a secret; answers whether there was one. */
export async function deleteSecret(
  db: VaultDatabase,
  input: { organizationId: string; name: string },
): Promise<boolean> {
  const { organizationId, name } = parse(secretRef, input);
  const { count } = await db.vaultSecret.deleteMany({ where: { organizationId, name } });
  return count > 0;
}
