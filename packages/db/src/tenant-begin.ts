// The tenant transaction's first round trip: BEGIN and the RLS settings in one message.
//
// A tenant read through Prisma is BEGIN (the driver adapter's), our `SELECT set_config(...)`,
// the query, COMMIT: four round trips where the bare query needs one. The app client's pool
// (client.ts) cuts round trips two ways:
//   - `withTenantBegin(settings, fn)` marks the next transaction opened inside `fn`; that
//     transaction's `BEGIN` goes out as the one simple-query message `BEGIN; SELECT
//     set_config('app.organization_id', …, true), set_config('app.user_id', …, true)`
//     (values through pg's escapeLiteral), and the settings statement Prisma sends next —
//     SETTINGS_SQL with the very same values, on the same connection, right after that BEGIN —
//     is answered locally instead of sent again. Nothing else is skipped: any other statement,
//     other values, another connection go to the server as they are. Without the pool's hook
//     (another pool, a test double) the statements simply run as before: the settings
//     statement stays in every tenant transaction, so RLS never depends on this file.
// The mark is single-use: a second transaction opened in the same async context gets a plain
// BEGIN (and its own settings statement, if it has one).
//
// Single reads (findMany, findFirst, count, aggregate, groupBy) need no Prisma transaction at
// all: `withTenantStatement(settings, fn)` makes every statement Prisma sends to the app pool
// inside `fn` run in a tenant transaction of its own, opened by the pool itself — `BEGIN;
// set_config(…)`, the statement, and a COMMIT the caller does not wait for (the rows are in
// hand and a read-only transaction's COMMIT cannot change them; the connection returns to the
// pool when the COMMIT is answered, or is dropped if it failed).
// Same settings, same transaction-local scope, same isolation (READ COMMITTED: a statement sees
// one snapshot whichever transaction it is in); Prisma's transaction manager and its batch
// compilation (≈ 0.5 ms per read here) are skipped. A client whose pool has no hook
// (`isTenantPool`) is never sent down this path: RLS would see no tenant, so the caller falls
// back to the transaction path. findUnique is excluded: Prisma batches concurrent
// findUniques into one statement, which must not mix scopes.
import { AsyncLocalStorage } from "node:async_hooks";
import type pg from "pg";

export interface TenantSettings {
  organizationId?: string | undefined;
  userId?: string | undefined;
}

/** The settings statement of every tenant transaction ($1 organization, $2 user). */
export const SETTINGS_SQL =
  "SELECT set_config('app.organization_id', $1, true), set_config('app.user_id', $2, true)";

export function settingsValues(settings: TenantSettings): [string, string] {
  return [settings.organizationId ?? "", settings.userId ?? ""];
}

interface Mark {
  settings: TenantSettings;
  /** The connection whose BEGIN carried the settings. */
  client: pg.ClientBase | null;
  /** The BEGIN carried the settings and the settings statement has not come yet. */
  settingsPending: boolean;
}

const marks = new AsyncLocalStorage<Mark>();
const statementMarks = new AsyncLocalStorage<TenantSettings>();

const stats = { begins: 0, settingsSkipped: 0, statements: 0, commitsNotAwaited: 0 };

/** How often each cut applied in this process (tests and benches read it). */
export function tenantBeginStats(): Readonly<typeof stats> {
  return { ...stats };
}

/** Runs `fn` so that the first transaction it opens on the app pool begins with `settings`. */
export function withTenantBegin<T>(settings: TenantSettings, fn: () => Promise<T>): Promise<T> {
  return marks.run({ settings, client: null, settingsPending: false }, fn);
}

/** Runs `fn` so that each statement it sends to the app pool runs in a tenant transaction. */
export function withTenantStatement<T>(settings: TenantSettings, fn: () => Promise<T>): Promise<T> {
  return statementMarks.run(settings, fn);
}

const hooked = new WeakSet<object>();

/** Whether `client` (a PrismaClient) sits on a pool with the hook installed. */
export function isTenantPool(client: object): boolean {
  return hooked.has(client);
}

/** Records that `client` runs on a hooked pool (client.ts, right after installTenantBegin). */
export function markTenantPool(client: object): void {
  hooked.add(client);
}

function beginText(client: pg.ClientBase, settings: TenantSettings): string {
  const [organizationId, userId] = settingsValues(settings);
  return `BEGIN; SELECT set_config('app.organization_id', ${client.escapeLiteral(organizationId)}, true), set_config('app.user_id', ${client.escapeLiteral(userId)}, true)`;
}

async function statementInTransaction(
  pool: pg.Pool,
  settings: TenantSettings,
  config: pg.QueryConfig,
): Promise<pg.QueryResult> {
  stats.statements++;
  const client = await pool.connect();
  let answer: pg.QueryResult;
  try {
    await client.query(beginText(client, settings));
    answer = await client.query(config);
  } catch (error) {
    try {
      await client.query("ROLLBACK");
      client.release();
    } catch (rollbackError) {
      client.release(rollbackError instanceof Error ? rollbackError : true);
    }
    throw error;
  }
  // The rows are in hand: the connection goes back to the pool once its COMMIT is answered.
  client.query("COMMIT").then(
    () => client.release(),
    (error: unknown) => client.release(error instanceof Error ? error : true),
  );
  stats.commitsNotAwaited++;
  return answer;
}

type QueryFn = (...args: unknown[]) => unknown;
const INSTALLED = Symbol("plinth.tenantBegin");

function textOf(config: unknown): string | undefined {
  if (typeof config === "string") return config;
  if (config && typeof config === "object" && "text" in config) {
    const text = config.text;
    return typeof text === "string" ? text : undefined;
  }
  return undefined;
}

function isSettingsStatement(config: unknown, settings: TenantSettings): boolean {
  if (textOf(config) !== SETTINGS_SQL || !config || typeof config !== "object") return false;
  const values = (config as { values?: unknown }).values;
  const [organizationId, userId] = settingsValues(settings);
  return (
    Array.isArray(values) &&
    values.length === 2 &&
    values[0] === organizationId &&
    values[1] === userId
  );
}

/**
 * Installs the BEGIN rewrite on every connection of `pool` (the app role's pool only: the
 * system client never carries tenant settings).
 */
export function installTenantBegin(pool: pg.Pool): void {
  const poolQuery = pool.query.bind(pool) as QueryFn;
  const tenantQuery: QueryFn = (...args) => {
    const settings = statementMarks.getStore();
    const config = args[0];
    if (!settings || args.length !== 1 || !config || typeof config !== "object") {
      return poolQuery(...args);
    }
    return statementInTransaction(pool, settings, config as pg.QueryConfig);
  };
  (pool as unknown as { query: QueryFn }).query = tenantQuery;
  pool.on("connect", (client) => {
    const target = client as unknown as Record<PropertyKey, unknown>;
    if (target[INSTALLED]) return;
    target[INSTALLED] = true;
    const original = client.query.bind(client) as QueryFn;
    const query: QueryFn = (...args) => {
      const mark = marks.getStore();
      if (!mark) return original(...args);
      const text = textOf(args[0]);
      if (mark.client === null) {
        if (text !== "BEGIN") return original(...args);
        mark.client = client;
        mark.settingsPending = true;
        stats.begins++;
        return original(beginText(client, mark.settings));
      }
      if (mark.client !== client) return original(...args);
      if (mark.settingsPending) {
        mark.settingsPending = false;
        // Already set by the BEGIN message, same values, same transaction.
        if (isSettingsStatement(args[0], mark.settings)) {
          stats.settingsSkipped++;
          return Promise.resolve({ command: "SELECT", rowCount: 1, rows: [], fields: [] });
        }
      }
      return original(...args);
    };
    (client as unknown as { query: QueryFn }).query = query;
  });
}
