// schema.prisma and prisma/migrations must describe the same database: Prisma's own schema
// engine (Wasm) diffs a database built from the migrations against the schema.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_PATH } from "@plinth/db/migrate";
import { diffDatabaseToSchema } from "@plinth/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";

let db: TestDatabase;
let schema: string;
beforeAll(async () => {
  db = await createTestDatabase(); // cloned from the template the migrations built
  schema = await readFile(SCHEMA_PATH, "utf8");
});
afterAll(() => db.drop());

describe("schema/migration drift", () => {
  it("the migrations produce exactly the schema", async () => {
    const diff = await diffDatabaseToSchema(
      db.url,
      { path: "schema.prisma", content: schema },
      { script: false },
    );
    expect(diff.stdout?.trim() ?? "").toMatch(/^(No difference detected\.?)?$/);
    expect(diff.exitCode).toBe(0);
  });

  it("detects a deliberate mismatch (a field missing from the migrations)", async () => {
    const edited = schema.replace(
      /(model Project \{\n\s+id\s+String\s+@id @default\(cuid\(\)\)\n)/,
      "$1  color String?\n",
    );
    expect(edited).not.toBe(schema);
    const diff = await diffDatabaseToSchema(
      db.url,
      { path: "schema.prisma", content: edited },
      { script: true },
    );
    expect(diff.exitCode).toBe(2);
    expect(diff.stdout).toContain(`ADD COLUMN     "color" TEXT`);
  });
});
