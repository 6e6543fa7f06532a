// Prisma's schema engine, compiled to WebAssembly, driven through the pg driver adapter.
// `prisma migrate diff` needs a native engine binary that these machines cannot download
// (docs/database.md); the same engine ships as Wasm inside npm, so we call it directly to
// (1) generate migration SQL from the schema (prisma/schema/*.prisma) and (2) detect drift between the schema and
// the migrations. Dev/test tooling only: the app never loads this.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
} from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DiffParams, DiffResult, SchemaEngine } from "@prisma/schema-engine-wasm";

let initialised: Promise<void> | undefined;
let lastPanicMessage: string | undefined;

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** ColumnTypeEnum.Character in @prisma/driver-adapter-utils. */
const CHARACTER_COLUMN_TYPE = 6;
/** Result rows (by identity) -> indexes of their `"char"` columns. */
const charColumnsByRows = new WeakMap<object, number[]>();
let poolPatched = false;

/**
 * The engine's catalog queries return PostgreSQL's internal one-byte `"char"` type (relkind,
 * contype, ...), which @prisma/adapter-pg 7.10 does not map and rejects. In this dev-only
 * module the pool reports those columns as text (pg already decodes them as strings) and
 * `withCharColumns` gives them back the `Character` type the engine expects.
 */
function patchPoolForCharColumns(): void {
  if (poolPatched) return;
  poolPatched = true;
  const prototype = pg.Pool.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function queryWithCharColumns(this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (!(result instanceof Promise)) return result;
    return result.then((value: unknown) => {
      const { fields, rows } = (value ?? {}) as {
        fields?: { dataTypeID: number }[];
        rows?: object;
      };
      const charColumns: number[] = [];
      fields?.forEach((field, index) => {
        if (field.dataTypeID !== PG_CHAR_OID) return;
        field.dataTypeID = PG_TEXT_OID;
        charColumns.push(index);
      });
      if (rows && charColumns.length > 0) charColumnsByRows.set(rows, charColumns);
      return value;
    });
  };
}

function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) {
      result.columnTypes[index] = CHARACTER_COLUMN_TYPE;
    }
    return result;
  };
  return adapter;
}

/** Instantiates the Wasm module once (the package's own entry expects a bundler). */
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    // The engine reports Rust panics through this global before it traps.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (message: string) => {
        lastPanicMessage = message;
      },
    };
    const require = createRequire(import.meta.url);
    const wasmPath = require
      .resolve("@prisma/schema-engine-wasm/schema_engine_bg")
      .replace(/\.js$/, ".wasm");
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, {
      "./schema_engine_bg.js": wasmBindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    wasmBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return initialised;
}

export interface SchemaFile {
  path: string;
  content: string;
}

async function withEngine<T>(
  databaseUrl: string,
  files: SchemaFile[],
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await initialiseWasm();
  patchPoolForCharColumns();
  const factory = new PrismaPg({ connectionString: databaseUrl });
  const adapter = bindMigrationAwareSqlAdapterFactory({
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => withCharColumns(await factory.connect()),
    connectToShadowDb: async () => withCharColumns(await factory.connectToShadowDb()),
  });
  const { SchemaEngine: Engine } = wasmBindings as unknown as {
    SchemaEngine: {
      new: (
        options: { datamodels: [string, string][] },
        log: (line: string) => void,
        adapter: object,
      ) => Promise<SchemaEngine>;
    };
  };
  const engine = await Engine.new(
    { datamodels: files.map((file) => [file.path, file.content]) },
    () => {},
    adapter,
  );
  try {
    return await run(engine);
  } catch (error) {
    throw lastPanicMessage ? new Error(`schema engine panicked: ${lastPanicMessage}`) : error;
  } finally {
    engine.free();
  }
}

const noFilters: DiffParams["filters"] = { externalTables: [], externalEnums: [] };

/**
 * Diffs the live database at `databaseUrl` against the schema. `exitCode` is 2 when they
 * differ; `stdout` is a SQL script (`script: true`) or a readable summary.
 */
export function diffDatabaseToSchema(
  databaseUrl: string,
  schema: readonly SchemaFile[],
  options: { script: boolean },
): Promise<DiffResult> {
  const files = [...schema];
  return withEngine(databaseUrl, files, (engine) =>
    engine.diff({
      // "schemaDatasource" = the database the adapter is connected to (Prisma 7 dropped `url`).
      from: { tag: "schemaDatasource", files, configDir: process.cwd() },
      to: { tag: "schemaDatamodel", files },
      script: options.script,
      exitCode: true,
      filters: noFilters,
    }),
  );
}
