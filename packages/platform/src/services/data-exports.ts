// "Download my data" as a file (GDPR): the user asks (requestDataExport: a data_exports row and
// its job, one transaction, one pending request per user); the worker builds a zip — data.json
// (exactly what exportMyData returns) plus the files modules contribute (exportUserFiles:
// recordings, transcripts) — puts it in the data export store and emails a signed link that
// expires with the zip (7 days); the download route serves it only to the signed-in owner; an
// hourly job deletes expired zips. docs/identity.md, "Personal data".
import { existsSync } from "node:fs";
import path from "node:path";
import { strToU8, zipSync, type Zippable } from "fflate";
import { recordAudit, systemAudit } from "@plinth/core/audit";
import { coreEnv } from "@plinth/core/env";
import { AppError } from "@plinth/core/errors";
import type { PrismaClient, TransactionClient } from "@plinth/db";
import { dataExportReady, sendEmail } from "@plinth/email";
import { enqueue, jobs } from "@plinth/jobs";
import {
  artifactKeySchema,
  createLocalArtifactStore,
  createS3ArtifactStore,
  signLink,
  verifyLinkSignature,
  type ArtifactStore,
} from "@plinth/artifacts";
import { DATA_EXPORT_LIFETIME_DAYS } from "../contracts/account.ts";
import { platformEnv, type PlatformEnv } from "../env.ts";
import { userExportFilePath, type AnyModule } from "../module.ts";
import type { RequestScope, UserScope } from "../scope.ts";
import { collectUserData } from "./personal-data.ts";

/** How many of the user's exports the account page lists. */
const LISTED_EXPORTS = 10;
/** Seconds a second request waits for (about how long one export takes). */
const PENDING_RETRY_SECONDS = 60;
const LINK_PURPOSE = "plinth.data-export.v1";
const DEV_LINK_SECRET = "plinth-dev-data-export-links-not-for-production";

export interface DataExportConfig {
  store: ArtifactStore;
  /** HMAC key of download links. */
  linkSecret: string;
  /** The web app's base URL (links point at its download route). */
  appUrl: string;
  lifetimeDays?: number;
}

/** The checkout's root (where pnpm-workspace.yaml is), so web and worker share one folder. */
function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The store and link settings from the environment (S3 when configured, else a folder). */
export function createDataExportConfig(
  env: PlatformEnv = platformEnv(),
  appUrl: string = coreEnv().APP_URL,
): DataExportConfig {
  const base = appUrl.replace(/\/+$/, "");
  const linkSecret = env.DATA_EXPORT_LINK_SECRET ?? DEV_LINK_SECRET;
  const store =
    env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? createS3ArtifactStore({
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          keyPrefix: "data-exports/",
        })
      : createLocalArtifactStore({
          rootDir: env.DATA_EXPORTS_DIR ?? path.join(repoRoot(), ".plinth/data-exports"),
          // The store's own links are never handed out: downloads go through the owner check.
          publicBaseUrl: `${base}/api/account/data-exports`,
          signingSecret: linkSecret,
        });
  return { store, linkSecret, appUrl: base };
}

let shared: DataExportConfig | undefined;
/** This process's store and link settings (built on first use). */
export function dataExportConfig(): DataExportConfig {
  shared ??= createDataExportConfig();
  return shared;
}

const exportsDb = (scope: RequestScope) =>
  scope.asSystem("data exports: the user's own export requests (user data, no tenant)");

const lifetimeMs = (config: DataExportConfig) =>
  (config.lifetimeDays ?? DATA_EXPORT_LIFETIME_DAYS) * 86_400_000;

/** A download link's signed parts: the purpose, the export, its owner and the expiry. */
const linkParts = (exportId: string, userId: string, expires: number) =>
  [LINK_PURPOSE, exportId, userId, expires] as const;

/** The download link of a ready export: bound to the export, its owner and its expiry. */
export function dataExportLink(
  config: DataExportConfig,
  row: { id: string; userId: string; expiresAt: Date },
): string {
  const expires = Math.floor(row.expiresAt.getTime() / 1000);
  const signature = signLink(config.linkSecret, linkParts(row.id, row.userId, expires));
  return `${config.appUrl}/api/account/data-exports/${row.id}?expires=${expires}&signature=${signature}`;
}

const exportView = {
  id: true,
  status: true,
  createdAt: true,
  readyAt: true,
  expiresAt: true,
  sizeBytes: true,
} as const;

/** Records the request and enqueues its build (one transaction); one pending per user. */
export async function requestDataExport(scope: UserScope) {
  const userId = scope.actor.user.id;
  return exportsDb(scope).$transaction(async (tx) => {
    // The user row's lock serialises two requests of the same user (two tabs, a double click).
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
    const pending = await tx.dataExport.count({ where: { userId, status: "QUEUED" } });
    if (pending > 0) {
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: PENDING_RETRY_SECONDS });
    }
    const row = await tx.dataExport.create({
      data: { userId, createdAt: scope.clock.now() },
      select: exportView,
    });
    await enqueue(tx, jobs.dataExportBuild, { exportId: row.id });
    await recordAudit(tx, scope, {
      organizationId: null,
      action: "user.data_export_requested",
      targetType: "user",
      targetId: userId,
      changes: { exportId: { to: row.id } },
    });
    return row;
  });
}

/** The user's recent exports, newest first; a ready one carries its link until it expires. */
export async function listDataExports(
  scope: UserScope,
  config: DataExportConfig = dataExportConfig(),
) {
  const userId = scope.actor.user.id;
  const now = scope.clock.now();
  const rows = await exportsDb(scope).dataExport.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: LISTED_EXPORTS,
    select: exportView,
  });
  return rows.map((row) => {
    const valid = row.status === "READY" && row.expiresAt !== null && row.expiresAt > now;
    return {
      ...row,
      // Past its expiry but not yet purged: expired all the same.
      status: row.status === "READY" && !valid ? ("EXPIRED" as const) : row.status,
      downloadUrl:
        valid && row.expiresAt
          ? dataExportLink(config, { ...row, userId, expiresAt: row.expiresAt })
          : null,
    };
  });
}

const expired = () =>
  new AppError({
    code: "INVALID_STATE",
    detail: "This download link has expired. Ask for a new export on your account page.",
  });

/**
 * The zip behind a download link, for its owner only: a forged or altered link, or another
 * user's, is NOT_FOUND (nothing said about whose it is); an expired one is INVALID_STATE.
 */
export async function openDataExport(
  scope: UserScope,
  input: { exportId: string; expires: string; signature: string },
  config: DataExportConfig = dataExportConfig(),
): Promise<{ filename: string; bytes: Uint8Array }> {
  const userId = scope.actor.user.id;
  const expires = Number(input.expires);
  if (
    !verifyLinkSignature(
      config.linkSecret,
      linkParts(input.exportId, userId, expires),
      input.signature,
    )
  ) {
    throw new AppError({ code: "NOT_FOUND", resource: "data export" });
  }
  const now = scope.clock.now();
  if (expires * 1000 <= now.getTime()) throw expired();
  const row = await exportsDb(scope).dataExport.findFirst({
    where: { id: input.exportId, userId },
    select: { status: true, storageKey: true, expiresAt: true, createdAt: true },
  });
  if (!row) throw new AppError({ code: "NOT_FOUND", resource: "data export" });
  if (row.status !== "READY" || !row.storageKey || !row.expiresAt || row.expiresAt <= now) {
    throw expired();
  }
  const stored = await config.store.get(row.storageKey);
  if (!stored) throw expired();
  return {
    filename: `plinth-my-data-${row.createdAt.toISOString().slice(0, 10)}.zip`,
    bytes: stored.bytes,
  };
}

async function collectFiles(
  tx: TransactionClient,
  modules: readonly AnyModule[],
  userId: string,
): Promise<Zippable> {
  const files: Zippable = {};
  for (const module of modules) {
    if (!module.gdpr.exportUserFiles) continue;
    for await (const file of module.gdpr.exportUserFiles(tx, userId)) {
      // Relative, no `..`: a module's path cannot escape its folder in the zip.
      files[userExportFilePath(module.key, artifactKeySchema.parse(file.path))] = file.bytes;
    }
  }
  return files;
}

export type DataExportOutcome = "ready" | "skipped" | "failed";

/**
 * The account.dataExport job's work: builds the zip of a QUEUED export, stores it, marks it
 * READY and queues the email with its link (one transaction). Anything else is skipped.
 */
export async function buildDataExport(
  db: PrismaClient,
  modules: readonly AnyModule[],
  exportId: string,
  config: DataExportConfig,
  now: Date = new Date(),
): Promise<DataExportOutcome> {
  const row = await db.dataExport.findUnique({
    where: { id: exportId },
    select: {
      id: true,
      userId: true,
      status: true,
      user: { select: { email: true, status: true } },
    },
  });
  if (!row || row.status !== "QUEUED") return "skipped";
  if (row.user.status !== "ACTIVE") {
    await failDataExport(db, exportId);
    return "failed";
  }
  const userId = row.userId;
  // One snapshot for data.json and the files, so both tell the same story.
  const { data, files } = await db.$transaction(
    async (tx) => ({
      data: await collectUserData(tx, modules, userId),
      files: await collectFiles(tx, modules, userId),
    }),
    { isolationLevel: "RepeatableRead", timeout: 10 * 60_000 },
  );
  const zip = zipSync({
    "data.json": strToU8(JSON.stringify({ exportedAt: now, modules: data }, null, 2)),
    ...files,
  });
  const storageKey = `${userId}/${row.id}.zip`;
  await config.store.put(storageKey, zip, "application/zip");

  const expiresAt = new Date(now.getTime() + lifetimeMs(config));
  const ready = await db.$transaction(async (tx) => {
    const updated = await tx.dataExport.updateMany({
      where: { id: row.id, status: "QUEUED" },
      data: { status: "READY", storageKey, sizeBytes: zip.byteLength, readyAt: now, expiresAt },
    });
    // Erased (or expired by hand) while it was being built: nothing to send.
    if (updated.count === 0) return false;
    await sendEmail(tx, {
      to: row.user.email,
      ...dataExportReady({
        downloadUrl: dataExportLink(config, { id: row.id, userId, expiresAt }),
        expiresAt,
      }),
    });
    await recordAudit(tx, systemAudit("data export built"), {
      organizationId: null,
      action: "user.data_exported",
      targetType: "user",
      targetId: userId,
      changes: {
        modules: { to: Object.keys(data) },
        files: { to: Object.keys(files).length },
        exportId: { to: row.id },
      },
    });
    return true;
  });
  if (!ready) await config.store.delete(storageKey);
  return ready ? "ready" : "skipped";
}

/** The build gave up (its last attempt failed, or the account is gone): FAILED. */
export async function failDataExport(db: PrismaClient, exportId: string): Promise<void> {
  await db.dataExport.updateMany({
    where: { id: exportId, status: "QUEUED" },
    data: { status: "FAILED" },
  });
}

/** The cron's work: deletes the zips of exports past their expiry and marks them EXPIRED. */
export async function purgeExpiredDataExports(
  db: PrismaClient,
  config: DataExportConfig,
  now: Date = new Date(),
): Promise<number> {
  const due = await db.dataExport.findMany({
    where: { status: "READY", expiresAt: { lte: now } },
    orderBy: { expiresAt: "asc" },
    take: 500,
    select: { id: true, storageKey: true },
  });
  for (const row of due) {
    // The blob first: a crash between the two leaves a READY row the next run retries.
    if (row.storageKey) await config.store.delete(row.storageKey);
    await db.dataExport.update({
      where: { id: row.id },
      data: { status: "EXPIRED", storageKey: null },
      select: { id: true },
    });
  }
  return due.length;
}

/** The account.dataExportErase job's work: the zips of an erased account. */
export async function eraseDataExportFiles(
  config: DataExportConfig,
  storageKeys: readonly string[],
): Promise<void> {
  for (const key of storageKeys) await config.store.delete(key);
}
