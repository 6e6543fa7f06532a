// What a bench phase costs, apart from how long it takes: SQL statements sent by this process
// (every pg client's query() — Prisma's adapter and graphile-worker both go through `pg`),
// grouped by kind, and CPU seconds of this process, of child processes and of a local
// PostgreSQL server (the postmaster with every backend, live or exited: /proc/<pid>/stat).
import { readFileSync, readdirSync } from "node:fs";
import pg from "pg";

export type StatementKind = "graphile-worker" | "transaction control" | "other";

export function statementKind(sql: string): StatementKind {
  if (/graphile_worker/i.test(sql)) return "graphile-worker";
  if (
    /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET TRANSACTION|SELECT set_config)\b/i.test(sql)
  )
    return "transaction control";
  return "other";
}

/** Counts every query() of every pg.Client in this process, except on the `ignored` ones. */
export function countStatements() {
  const counts = new Map<StatementKind, number>();
  const ignored = new WeakSet<pg.Client>();
  const prototype = pg.Client.prototype as unknown as {
    query: (this: pg.Client, ...args: unknown[]) => unknown;
  };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (!ignored.has(this)) {
      const first = args[0];
      const text =
        typeof first === "string"
          ? first
          : typeof first === "object" && first !== null && "text" in first
            ? String(first.text)
            : "";
      const kind = statementKind(text);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return {
    /** A client whose statements are the bench's own (progress reads): not counted. */
    ignore(client: pg.Client) {
      ignored.add(client);
    },
    snapshot(): Record<StatementKind | "total", number> {
      const of = (kind: StatementKind) => counts.get(kind) ?? 0;
      const graphile = of("graphile-worker");
      const control = of("transaction control");
      const other = of("other");
      return {
        "graphile-worker": graphile,
        "transaction control": control,
        other,
        total: graphile + control + other,
      };
    },
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime, stime, cutime, cstime of a process in seconds (the fields after the comm's ")"). */
function procTimes(pid: number): { own: number; children: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14 → index 11.
    const tick = (index: number) => Number(fields[index] ?? 0) / TICKS_PER_SECOND;
    return { own: tick(11) + tick(12), children: tick(13) + tick(14) };
  } catch {
    return null; // exited, or not Linux
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** CPU seconds of a process; `withChildren`: its live children too and those it has reaped. */
export function cpuSecondsOf(pid: number, withChildren = false): number | null {
  const own = procTimes(pid);
  if (!own) return null;
  if (!withChildren) return own.own;
  let total = own.own + own.children;
  try {
    for (const entry of readdirSync("/proc")) {
      const child = Number(entry);
      if (!Number.isInteger(child) || parentOf(child) !== pid) continue;
      total += procTimes(child)?.own ?? 0;
    }
  } catch {
    return total;
  }
  return total;
}

/** The postmaster of a local server: the parent of the backend serving `backendPid`. */
export function postmasterOf(backendPid: number): number | null {
  return procTimes(backendPid) ? parentOf(backendPid) : null;
}

/** This process's CPU seconds (user + system). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}
