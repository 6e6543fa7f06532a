// API key management, for the organization's owners and admins (the router checks the role):
// create (the full key is returned once; only its SHA-256 is stored), list, revoke, rotate
// with a grace window. Keys hold scopes of the product (core's and enabled modules'
// apiScopes); the plan's `apiKeys` limit counts keys in use (holdLimit); every change is
// audited in the same transaction. The gateway hears revocations by NOTIFY (docs/api-keys.md).
import { insertApiKey, rotateApiKey as rotateStoredKey } from "@plinth/api-keys";
import { holdLimit } from "@plinth/billing/gating";
import { recordAudit, snapshot } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import type { Prisma } from "@plinth/db";
import type { OrgScope } from "../scope.ts";

/** What a list shows of a key: never the hash. */
export const apiKeyView = {
  id: true,
  name: true,
  environment: true,
  prefix: true,
  lastFour: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  graceEndsAt: true,
  rotatedFromId: true,
  createdById: true,
} as const satisfies Prisma.ApiKeySelect;

type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeyView }>;
type Creator = { name: string | null; email: string };

/** Who created each key (members of the organization; a departed member shows as null). */
async function creators(scope: OrgScope, rows: readonly ApiKeyRow[]) {
  const ids = [...new Set(rows.flatMap((row) => (row.createdById ? [row.createdById] : [])))];
  if (ids.length === 0) return new Map<string, Creator>();
  const members = await scope.db.client.membership.findMany({
    where: { organizationId: scope.organization.id, userId: { in: ids } },
    select: { userId: true, user: { select: { name: true, email: true } } },
  });
  return new Map(members.map((member) => [member.userId, member.user]));
}

export type ApiKeyStatus = "active" | "rotating" | "expired" | "revoked";

function view(row: ApiKeyRow, now: Date, createdBy: Creator | null) {
  const at = now.getTime();
  const status: ApiKeyStatus = row.revokedAt
    ? "revoked"
    : (row.expiresAt && row.expiresAt.getTime() <= at) ||
        (row.graceEndsAt && row.graceEndsAt.getTime() <= at)
      ? "expired"
      : row.graceEndsAt
        ? "rotating"
        : "active";
  return {
    id: row.id,
    name: row.name,
    environment: row.environment === "LIVE" ? ("live" as const) : ("test" as const),
    /** "plk_live_AbCd…wxyz": enough to recognise a key. */
    display: `${row.prefix}…${row.lastFour}`,
    scopes: row.scopes,
    createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    graceEndsAt: row.graceEndsAt,
    rotatedFromId: row.rotatedFromId,
    status,
  };
}

/** The scopes a key of this product may hold, for the create form. */
export function availableApiScopes(scope: OrgScope) {
  return Object.entries(scope.product.apiScopes).map(([name, declared]) => ({
    name,
    description: declared.description,
    module: declared.module,
  }));
}

export async function listApiKeys(scope: OrgScope) {
  const rows = await scope.db.client.apiKey.findMany({
    where: { organizationId: scope.organization.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: apiKeyView,
  });
  const now = scope.clock.now();
  const names = await creators(scope, rows);
  return rows.map((row) => view(row, now, (row.createdById && names.get(row.createdById)) || null));
}

function requireKnownScopes(scope: OrgScope, scopes: readonly string[]) {
  const unknown = scopes.find((name) => !(name in scope.product.apiScopes));
  if (unknown) throw new AppError({ code: "INVALID_STATE", detail: `Unknown scope ${unknown}` });
}

export async function createApiKey(
  scope: OrgScope,
  input: {
    name: string;
    scopes: readonly string[];
    expiresInDays: number | null;
    environment: "live" | "test";
  },
) {
  requireKnownScopes(scope, input.scopes);
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  const expiresAt =
    input.expiresInDays === null
      ? null
      : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  return holdLimit(scope, "apiKeys", 1, () =>
    scope.db.transaction(async (tx) => {
      const issued = await insertApiKey(tx, {
        organizationId,
        name: input.name,
        environment: input.environment,
        scopes: [...input.scopes],
        expiresAt,
        createdById: actorUserId(scope.actor),
      });
      await recordAudit(tx, scope, {
        organizationId,
        action: "api_key.created",
        targetType: "api_key",
        targetId: issued.record.id,
        changes: snapshot(
          {
            name: input.name,
            scopes: [...input.scopes],
            expiresAt,
            environment: input.environment,
          },
          "to",
        ),
      });
      const row = await tx.apiKey.findUniqueOrThrow({
        where: { id: issued.record.id },
        select: apiKeyView,
      });
      // The full key, this once: it is not stored and cannot be shown again.
      return { key: issued.key, apiKey: view(row, now, null) };
    }),
  );
}

export async function revokeApiKey(scope: OrgScope, input: { apiKeyId: string }) {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    const revoked = await tx.apiKey.updateMany({
      where: { id: input.apiKeyId, organizationId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (revoked.count === 0) throw notFound("API key");
    await recordAudit(tx, scope, {
      organizationId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: input.apiKeyId,
      changes: snapshot({ revokedAt: now }, "to"),
    });
    const row = await tx.apiKey.findUniqueOrThrow({
      where: { id: input.apiKeyId },
      select: apiKeyView,
    });
    return view(row, now, null);
  });
}

/**
 * A new key with the same name, scopes and expiry; the old one works for `graceHours` more
 * (both are listed). Rotation does not count against the plan's limit: a key in its grace
 * window no longer counts (core-module's apiKeys counter).
 */
export async function rotateApiKey(
  scope: OrgScope,
  input: { apiKeyId: string; graceHours: number },
) {
  const organizationId = scope.organization.id;
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    const rotated = await rotateStoredKey(
      tx,
      {
        organizationId,
        id: input.apiKeyId,
        graceSeconds: input.graceHours * 3_600,
        createdById: actorUserId(scope.actor),
      },
      now,
    );
    if (!rotated) throw notFound("API key");
    await recordAudit(tx, scope, {
      organizationId,
      action: "api_key.rotated",
      targetType: "api_key",
      targetId: rotated.previous.id,
      changes: snapshot(
        { replacedBy: rotated.record.id, graceEndsAt: rotated.previous.graceEndsAt },
        "to",
      ),
    });
    const row = await tx.apiKey.findUniqueOrThrow({
      where: { id: rotated.record.id },
      select: apiKeyView,
    });
    return { key: rotated.key, apiKey: view(row, now, null), previous: rotated.previous };
  });
}
