// Consent records (a core capability): an append-only ledger per user — terms, recording
// consent before the first practice session, marketing — each row with the text's version,
// granted or withdrawn, the time (the scope's clock) and the request's IP. A user's current
// consent of a kind is its newest row. Like users and sessions the ledger belongs to no
// tenant: it is read and written over the privileged client (RLS on, no policy for
// plinth_app), always filtered by the user. docs/identity.md, "Consents".
import { recordAudit } from "@plinth/core/audit";
import { AppError } from "@plinth/core/errors";
import type { TransactionClient } from "@plinth/db";
import { CONSENT_KINDS, CONSENT_VERSIONS, type ConsentKind } from "../contracts/consents.ts";
import type { RequestScope, UserScope } from "../scope.ts";

const consentDb = (scope: RequestScope) =>
  scope.asSystem("consents: the user's own consent ledger (user data, no tenant)");

export interface ConsentState {
  kind: ConsentKind;
  /** The version of the text in force now. */
  currentVersion: string;
  /** The newest record of this kind, or null when the user never answered. */
  latest: { version: string; granted: boolean; recordedAt: Date } | null;
  /** Granted, for the current version. */
  valid: boolean;
}

/** Appends the user's answer to the current text of `kind` (an older version: INVALID_INPUT). */
export async function recordConsent(
  scope: UserScope,
  input: { kind: ConsentKind; version: string; granted: boolean },
): Promise<ConsentState> {
  const currentVersion = CONSENT_VERSIONS[input.kind];
  if (input.version !== currentVersion) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: "version",
      reason: `the current ${input.kind.toLowerCase()} text is version ${currentVersion}`,
    });
  }
  const userId = scope.actor.user.id;
  return consentDb(scope).$transaction(async (tx) => {
    const row = await tx.consentRecord.create({
      data: {
        userId,
        kind: input.kind,
        version: input.version,
        granted: input.granted,
        ipAddress: scope.ip,
        recordedAt: scope.clock.now(),
      },
      select: { version: true, granted: true, recordedAt: true },
    });
    await recordAudit(tx, scope, {
      organizationId: null,
      targetType: "user",
      targetId: userId,
      action: input.granted ? "user.consent_granted" : "user.consent_withdrawn",
      changes: { kind: { to: input.kind }, version: { to: input.version } },
    });
    return { kind: input.kind, currentVersion, latest: row, valid: row.granted };
  });
}

async function latestPerKind(db: TransactionClient, userId: string) {
  const rows = await db.consentRecord.findMany({
    where: { userId },
    orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
    distinct: ["kind"],
    select: { kind: true, version: true, granted: true, recordedAt: true },
  });
  return new Map(rows.map(({ kind, ...row }) => [kind, row]));
}

/** The user's latest answer per kind, against the versions in force. */
export async function currentConsents(scope: UserScope): Promise<ConsentState[]> {
  const latest = await latestPerKind(consentDb(scope), scope.actor.user.id);
  return CONSENT_KINDS.map((kind) => {
    const row = latest.get(kind) ?? null;
    const currentVersion = CONSENT_VERSIONS[kind];
    return {
      kind,
      currentVersion,
      latest: row,
      valid: row !== null && row.granted && row.version === currentVersion,
    };
  });
}

/**
 * Refuses with CONSENT_REQUIRED unless `userId`'s newest answer of `kind` grants the current
 * version (a module guards what the consent covers: voice-training's session start).
 */
export async function requireConsent(
  scope: RequestScope,
  userId: string,
  kind: ConsentKind,
): Promise<void> {
  if (!(await grantsCurrentVersion(scope, userId, kind))) {
    throw new AppError({ code: "CONSENT_REQUIRED", kind, version: CONSENT_VERSIONS[kind] });
  }
}

/** Whether `userId`'s newest answer of `kind` grants the version in force (one query). */
async function grantsCurrentVersion(
  scope: RequestScope,
  userId: string,
  kind: ConsentKind,
): Promise<boolean> {
  const latest = await consentDb(scope).consentRecord.findFirst({
    where: { userId, kind },
    orderBy: [{ recordedAt: "desc" }, { id: "desc" }],
    select: { version: true, granted: true },
  });
  return latest?.granted === true && latest.version === CONSENT_VERSIONS[kind];
}

/**
 * Whether the signed-in user accepted the terms in force: the web app's terms step asks on
 * every page request (accounts from OAuth / OIDC / magic links never saw sign-up's clickwrap,
 * and a bumped TERMS_CONSENT_VERSION asks everyone again).
 */
export function hasAcceptedCurrentTerms(scope: UserScope): Promise<boolean> {
  return grantsCurrentVersion(scope, scope.actor.user.id, "TERMS");
}

/**
 * Sign-up's acceptance of the terms in force: the form says that creating the account accepts
 * them (shown with their version), so the account starts with that record.
 */
export async function recordTermsAcceptedAtSignUp(
  tx: TransactionClient,
  input: { userId: string; ip: string | null; now: Date },
): Promise<void> {
  await tx.consentRecord.create({
    data: {
      userId: input.userId,
      kind: "TERMS",
      version: CONSENT_VERSIONS.TERMS,
      granted: true,
      ipAddress: input.ip,
      recordedAt: input.now,
    },
  });
}

// ─── GDPR (the core module's hooks) ──────────────────────────────────────────────────────

/** Every consent record of the user, oldest first (the core's part of the user export). */
export function exportUserConsents(tx: TransactionClient, userId: string) {
  return tx.consentRecord.findMany({
    where: { userId },
    orderBy: [{ recordedAt: "asc" }, { id: "asc" }],
    select: { kind: true, version: true, granted: true, ipAddress: true, recordedAt: true },
  });
}

/** Erasure: the records go (they are personal data, not accounting). */
export async function deleteUserConsents(tx: TransactionClient, userId: string): Promise<void> {
  await tx.consentRecord.deleteMany({ where: { userId } });
}
