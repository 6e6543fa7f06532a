// The local provider: real work on a PostgreSQL server this machine reaches (by default the
// tenant database's own server). A workspace gets its own role (LOGIN, a generated password
// kept in the vault, never answered) and its own database owned by that role, with the size's
// connection limit; apply then connects *as that role* and applies the app's bootstrap SQL and
// records app, version and size in the workspace's `plinth_workspace` table. Destroy drops the
// database (forcing connections off) and the role and deletes the password. Suspend (its
// organization may only read) makes the role NOLOGIN and terminates its connections; resume
// gives it LOGIN back (the password is unchanged).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { localServerUrl } from "../env.ts";
import type { AccessContext, HostingProvider, StepContext, StepResult } from "./types.ts";
import { passwordSecretName } from "./types.ts";

/** Database and role name of a workspace: ids are lowercase cuids, so these are safe identifiers. */
export function localNames(workspaceId: string) {
  if (!/^[a-z0-9]{1,40}$/.test(workspaceId)) throw new Error("unexpected workspace id");
  return { database: `ws_${workspaceId}`, role: `ws_${workspaceId}` };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function urlFor(
  server: string,
  database: string,
  credentials?: { user: string; password: string },
) {
  const url = new URL(server);
  url.pathname = `/${database}`;
  if (credentials) {
    url.username = credentials.user;
    url.password = credentials.password;
  }
  return url.toString();
}

async function exists(client: pg.Client, database: string, role: string) {
  const { rows } = await client.query<{ database: boolean; role: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS database,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2) AS role`,
    [database, role],
  );
  return rows[0] ?? { database: false, role: false };
}

/**
 * PostgreSQL's "try again" answers (SQLSTATE): the server starting up or shutting down, out of
 * connection slots, a serialization or deadlock loser, a dropped connection; and a connection
 * that could not be opened at all.
 */
const TRANSIENT_SQLSTATES = new Set([
  "57P03",
  "57P01",
  "53300",
  "40001",
  "40P01",
  "08000",
  "08003",
  "08006",
]);
const TRANSIENT_NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);

export function isTransientPostgresError(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error) || typeof error.code !== "string") {
    return error instanceof Error && /timeout expired|Connection terminated/i.test(error.message);
  }
  return TRANSIENT_SQLSTATES.has(error.code) || TRANSIENT_NETWORK.has(error.code);
}

export function createLocalProvider(options: { serverUrl?: () => string } = {}): HostingProvider {
  const server = options.serverUrl ?? (() => localServerUrl());
  const hostOf = (url: string) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 5432) };
  };

  async function apply(ctx: StepContext): Promise<StepResult> {
    const { target } = ctx;
    const { database, role } = localNames(target.workspaceId);
    const lines: string[] = [];
    const say = async (line: string) => {
      lines.push(line);
      await ctx.log(line);
    };
    const url = server();
    // A password each apply (a resumed apply too): the vault holds the one the role has.
    let password = await ctx.secrets.read(passwordSecretName(target.workspaceId));
    await withClient(url, async (client) => {
      const found = await exists(client, database, role);
      if (!found.role || !password) {
        password = randomBytes(24).toString("base64url");
        await ctx.secrets.put(passwordSecretName(target.workspaceId), password);
        const literal = client.escapeLiteral(password);
        await client.query(
          found.role
            ? `ALTER ROLE "${role}" WITH LOGIN PASSWORD ${literal}`
            : `CREATE ROLE "${role}" WITH LOGIN PASSWORD ${literal}`,
        );
        await say(found.role ? `role ${role}: password set` : `role ${role}: created`);
      } else {
        await say(`role ${role}: exists`);
      }
      const limit = target.size.connectionLimit;
      if (!found.database) {
        await client.query(
          `CREATE DATABASE "${database}" OWNER "${role}" CONNECTION LIMIT ${limit}`,
        );
        await say(`database ${database}: created (connection limit ${limit})`);
      } else {
        await client.query(`ALTER DATABASE "${database}" CONNECTION LIMIT ${limit}`);
        await say(`database ${database}: exists, connection limit ${limit}`);
      }
      await client.query(`REVOKE ALL ON DATABASE "${database}" FROM PUBLIC`);
    });
    // The bootstrap, as the workspace's own role (the credential is proven to work).
    await withClient(urlFor(url, database, { user: role, password: password! }), async (client) => {
      for (const statement of target.app.bootstrapSql) await client.query(statement);
      await say(`bootstrap: ${target.app.bootstrapSql.length} statements applied`);
      for (const [key, value] of [
        ["app", target.app.key],
        ["version", target.version],
        ["size", target.size.key],
        ["region", target.region],
      ] as const) {
        await client.query(
          `INSERT INTO plinth_workspace (key, value) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [key, value],
        );
      }
      await say(`${target.app.name} ${target.version} (${target.size.key}) recorded`);
    });
    const { host, port } = hostOf(url);
    return {
      output: lines.join("\n"),
      outputs: { host, port, database, user: role, connectionLimit: target.size.connectionLimit },
    };
  }

  async function setLogin(ctx: AccessContext, login: boolean): Promise<StepResult> {
    const { database, role } = localNames(ctx.workspaceId);
    const lines: string[] = [];
    await withClient(server(), async (client) => {
      const found = await exists(client, database, role);
      if (!found.role) {
        lines.push(`role ${role}: missing, nothing to ${login ? "resume" : "suspend"}`);
        return;
      }
      await client.query(`ALTER ROLE "${role}" WITH ${login ? "LOGIN" : "NOLOGIN"}`);
      lines.push(`role ${role}: ${login ? "LOGIN" : "NOLOGIN"}`);
      if (!login) {
        // NOLOGIN stops new sessions only: the open ones go too.
        const { rows } = await client.query<{ terminated: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated
           FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`,
          [role],
        );
        lines.push(`connections terminated: ${rows[0]?.terminated ?? 0}`);
      }
    });
    for (const line of lines) await ctx.log(line);
    return { output: lines.join("\n") };
  }

  return {
    key: "local",
    isTransient: isTransientPostgresError,
    suspend: (ctx) => setLogin(ctx, false),
    resume: (ctx) => setLogin(ctx, true),
    async init(ctx) {
      const url = server();
      const { host, port } = hostOf(url);
      const row = await withClient(url, async (client) => {
        const { rows } = await client.query<{ version: string; can: boolean }>(
          `SELECT current_setting('server_version') AS version,
                  (rolsuper OR (rolcreatedb AND rolcreaterole)) AS can
           FROM pg_roles WHERE rolname = current_user`,
        );
        return rows[0];
      });
      if (!row?.can)
        throw new Error("The configured server's role may not create databases and roles");
      const output = `connected to PostgreSQL ${row.version} at ${host}:${port}`;
      await ctx.log(output);
      return { output };
    },
    async plan(ctx) {
      const { database, role } = localNames(ctx.target.workspaceId);
      const found = await withClient(server(), (client) => exists(client, database, role));
      const mark = (present: boolean, destroy: boolean) =>
        destroy ? (present ? "-" : "=") : present ? "~" : "+";
      const destroying = ctx.target.action === "DESTROY";
      const lines = [
        `${mark(found.role, destroying)} role ${role}`,
        `${mark(found.database, destroying)} database ${database}` +
          (destroying ? "" : ` (connection limit ${ctx.target.size.connectionLimit})`),
        ...(destroying
          ? []
          : [
              `~ bootstrap ${ctx.target.app.key} ${ctx.target.version}: ${ctx.target.app.bootstrapSql.length} statements`,
            ]),
      ];
      for (const line of lines) await ctx.log(line);
      return { output: lines.join("\n") };
    },
    apply,
    async destroy(ctx) {
      const { database, role } = localNames(ctx.target.workspaceId);
      const lines: string[] = [];
      await withClient(server(), async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        lines.push(`database ${database}: dropped`);
        await client.query(`DROP ROLE IF EXISTS "${role}"`);
        lines.push(`role ${role}: dropped`);
      });
      await ctx.secrets.delete(passwordSecretName(ctx.target.workspaceId));
      lines.push("password: deleted from the vault");
      for (const line of lines) await ctx.log(line);
      return { output: lines.join("\n") };
    },
  };
}
