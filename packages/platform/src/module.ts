// The module kit: one typed declaration per product capability (modules/<key>/src/index.ts).
// A declaration says what the module adds to the backbone — plan features, limits and meters,
// API scopes, jobs and their schedule, run kinds, navigation, the tenant tables it owns and
// its GDPR hooks — and nothing about transports: the module's trpc.ts / http.ts / worker.ts
// adapters live beside it and the composition root (@plinth/product) wires them per preset.
// Keys are literal types, so a preset's plans (plinth.config.ts) are checked against exactly
// the keys its enabled modules declare. docs/modules.md walks through adding one.
import type { Role } from "@plinth/core/roles";
import type { Prisma, PrismaClient, TransactionClient } from "@plinth/db";
import type { JobDefinition } from "@plinth/jobs";
import type { UsageLineInput } from "@plinth/billing/usage-lines";
import { declareWebhookEventTypes } from "@plinth/webhooks/events";

export interface FeatureDeclaration {
  /** What the feature lets an organization do (the billing page and operator console say it). */
  description: string;
}

export interface LimitDeclaration {
  description: string;
  /** How many the organization uses now; runs inside the limit's locked transaction. */
  count(tx: TransactionClient, organizationId: string, now: Date): Promise<number>;
}

export interface MeterDeclaration {
  description: string;
  /** The unit one counts in ("request", "task", "minute"). */
  unit: string;
}

/** An outbound webhook event type the module emits (emitWebhookEvent, docs/webhooks.md). */
export interface WebhookEventDeclaration {
  /** When it is sent (the webhooks settings page lists it beside the type). */
  description: string;
}

/** A recurring job: graphile-worker's cron syntax (UTC), e.g. "30 3 * * *". */
export interface CronDeclaration {
  job: JobDefinition;
  match: string;
  maxAttempts?: number;
}

/** An entry of the organization navigation: /o/<slug>/<segment>. */
export interface NavEntry {
  segment: string;
  label: string;
  /** An icon name the web app maps to its icon set. */
  icon: string;
  /** Position, ascending (core entries use multiples of 10). */
  order: number;
  /** Hidden below this role (the page itself still checks). */
  minRole?: Role;
}

/** How the module's rows count toward a limit another declaration owns (core's seats). */
export type LimitContribution = LimitDeclaration["count"];

export interface SignUpHook {
  /**
   * Whether `token` (sign-up's invitationToken) is an open invitation addressed to `email`:
   * the new account then gets no trial organization of its own, and its address counts as
   * verified (the token reached that mailbox). docs/identity.md, "Sign-up".
   */
  invited(app: PrismaClient, input: { token: string; email: string; now: Date }): Promise<boolean>;
}

/** A per-organization number the operator console shows as a column (system client). */
export interface OperatorCount {
  key: string;
  label: string;
  count(db: PrismaClient, organizationIds: readonly string[]): Promise<Map<string, number>>;
}

/** Creates a demo organization's example records (the seed, `npm run dev`). */
export type DemoSeeder = (
  tx: TransactionClient,
  account: { organizationId: string; ownerId: string; names: readonly string[] },
) => Promise<void>;

/**
 * A column of the module's tables that holds a user's id, and what erasing that user does to
 * it: `erased` (the rows go), `cleared` (set to NULL: the organization keeps the record, not
 * the person) or `kept` with the reason (it points at the anonymised tombstone, which holds
 * no personal data). Every such column of the schema is declared by exactly one module; the
 * personal-data test reads the database's columns and fails on one nobody declared.
 */
export interface UserReference {
  /** Table and column as the database names them ("practice_sessions", "user_id"). */
  readonly table: string;
  readonly column: string;
  readonly onUserDeleted: "erased" | "cleared" | { readonly kept: string };
}

/**
 * Personal-data hooks (GDPR export and erasure), run in one system transaction by
 * services/personal-data.ts: export for the user's "download my data" and the organization's
 * export, erasure when an account or an organization is deleted.
 */
/** One file of a user's data export: a relative path (`a/b.wav`) and its bytes. */
export interface UserExportFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Where a module's export file is inside the data export zip: what `exportUser` names in
 * data.json for a file it does not repeat there (a recording is in the zip once, as a file).
 */
export function userExportFilePath(moduleKey: string, path: string): string {
  return `files/${moduleKey}/${path}`;
}

export interface GdprHooks {
  /** The user's data in this module's tables (every organization), never a secret. */
  exportUser?(tx: TransactionClient, userId: string): Promise<Record<string, unknown>>;
  /**
   * Files of the user's for the data export zip (audio, transcripts), one at a time, each
   * under `files/<module key>/<path>`. Only what the module still holds (retention applies).
   */
  exportUserFiles?(tx: TransactionClient, userId: string): AsyncIterable<UserExportFile>;
  /** Erases the user per `userReferences`; runs before the user row becomes a tombstone. */
  deleteUser?(tx: TransactionClient, userId: string): Promise<void>;
  readonly userReferences?: readonly UserReference[];
  exportOrganization?(
    tx: TransactionClient,
    organizationId: string,
  ): Promise<Record<string, unknown>>;
  deleteOrganization?(tx: TransactionClient, organizationId: string): Promise<void>;
  /**
   * Why the organization cannot be deleted yet, read after "This organization …" ("has 2
   * hosting workspaces: destroy them first") — resources outside the database only the module
   * can release — or null. Organization and account deletion refuse with the reason.
   */
  blocksOrganizationDeletion?(
    tx: TransactionClient,
    organizationId: string,
  ): Promise<string | null>;
}

export interface ModuleDefinition<
  TKey extends string = string,
  TFeature extends string = string,
  TLimit extends string = string,
  TMeter extends string = string,
  TWebhookEvent extends string = string,
> {
  /** kebab-case; the package is @plinth/<key>. */
  readonly key: TKey;
  readonly name: string;
  readonly description: string;
  readonly features: Readonly<Record<TFeature, FeatureDeclaration>>;
  readonly limits: Readonly<Record<TLimit, LimitDeclaration>>;
  readonly meters: Readonly<Record<TMeter, MeterDeclaration>>;
  /** API-key scopes the module's routes require (issue 12), name → what it allows. */
  readonly apiScopes: Readonly<Record<string, string>>;
  readonly jobs: readonly JobDefinition[];
  readonly cron: readonly CronDeclaration[];
  /** Kinds of user-visible runs (status, progress, logs); executors in the worker entry. */
  readonly runKinds: readonly string[];
  /** Webhook event types it emits ("test_run.failed"), type → description. */
  readonly webhookEvents: Readonly<Record<TWebhookEvent, WebhookEventDeclaration>>;
  readonly nav: readonly NavEntry[];
  /** The tenant-owned tables (Prisma models) the module's schema file defines. */
  readonly tenantModels: readonly Prisma.ModelName[];
  readonly gdpr: GdprHooks;
  /** Rows of this module that count toward a core limit (pending invitations hold seats). */
  readonly countsToward: Readonly<Partial<Record<"seats" | "apiKeys", LimitContribution>>>;
  readonly signUp?: SignUpHook;
  /** Columns of the operator console's organization list. */
  readonly operatorCounts: readonly OperatorCount[];
  /** Example records for demo organizations, named by the preset (plinth.config.ts). */
  readonly demo?: DemoSeeder;
  /**
   * The period's usage of one of its meters as invoice lines (calls, units, cost), for the
   * plans that bill that meter at the events' own cost (`billedAtEventCost`): the invoice
   * preview and the Stripe invoice items (@plinth/billing/usage-lines). System client.
   */
  readonly usageLines?: (
    db: PrismaClient,
    input: { organizationId: string; meter: string; from: Date; to: Date },
  ) => Promise<UsageLineInput[]>;
}

export type AnyModule = ModuleDefinition;

type Optional =
  | "features"
  | "limits"
  | "meters"
  | "apiScopes"
  | "jobs"
  | "cron"
  | "runKinds"
  | "webhookEvents"
  | "nav"
  | "tenantModels"
  | "gdpr"
  | "countsToward"
  | "operatorCounts";

const KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Declares a module. Everything but key, name and description may be left out (no features,
 * no jobs, …). Checked now: keys are well-formed, cron entries name the module's own jobs.
 */
export function defineModule<
  const TKey extends string,
  const TFeature extends string = never,
  const TLimit extends string = never,
  const TMeter extends string = never,
  const TWebhookEvent extends string = never,
>(
  definition: Omit<ModuleDefinition<TKey, TFeature, TLimit, TMeter, TWebhookEvent>, Optional> &
    Partial<Pick<ModuleDefinition<TKey, TFeature, TLimit, TMeter, TWebhookEvent>, Optional>>,
): ModuleDefinition<TKey, TFeature, TLimit, TMeter, TWebhookEvent> {
  if (!KEY.test(definition.key)) throw new Error(`Module key "${definition.key}": use kebab-case`);
  const jobs = definition.jobs ?? [];
  for (const entry of definition.cron ?? []) {
    if (!jobs.includes(entry.job)) {
      throw new Error(
        `Module "${definition.key}": cron job ${entry.job.name} is not one of its jobs`,
      );
    }
  }
  // Declared types exist from here on: emitWebhookEvent refuses any other.
  declareWebhookEventTypes(definition.key, Object.keys(definition.webhookEvents ?? {}));
  return Object.freeze({
    features: {} as Record<TFeature, FeatureDeclaration>,
    limits: {} as Record<TLimit, LimitDeclaration>,
    meters: {} as Record<TMeter, MeterDeclaration>,
    apiScopes: {},
    jobs,
    cron: [],
    runKinds: [],
    webhookEvents: {} as Record<TWebhookEvent, WebhookEventDeclaration>,
    nav: [],
    tenantModels: [],
    gdpr: {},
    countsToward: {},
    operatorCounts: [],
    ...definition,
  });
}

/** The feature, limit and meter keys of a module (or a union of modules). */
export type FeatureKeyOf<M> =
  M extends ModuleDefinition<string, infer F, string, string> ? F : never;
export type LimitKeyOf<M> = M extends ModuleDefinition<string, string, infer L, string> ? L : never;
export type MeterKeyOf<M> = M extends ModuleDefinition<string, string, string, infer T> ? T : never;
export type ModuleKeyOf<M> =
  M extends ModuleDefinition<infer K, string, string, string> ? K : never;
