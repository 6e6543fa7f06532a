// prisma/schema (one file per module) and prisma/migrations must describe the same database:
// Prisma's own schema engine (Wasm) diffs a database built from the migrations against it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSchemaFiles } from "@plinth/db/migrate";
import { diffDatabaseToSchema } from "@plinth/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";

let db: TestDatabase;
let schema: { path: string; content: string }[];
beforeAll(async () => {
  db = await createTestDatabase(); // cloned from the template the migrations built
  schema = await readSchemaFiles();
});
afterAll(() => db.drop());

describe("schema/migration drift", () => {
  it("the migrations produce exactly the schema", async () => {
    expect([...schema.map((file) => file.path)].sort()).toEqual([
      "ai-tasks.prisma",
      "api-catalog.prisma",
      "demo-booking.prisma",
      "hosting.prisma",
      "projects.prisma",
      "schema.prisma",
      "teams.prisma",
      "test-automation.prisma",
      "voice-training.prisma",
      "webhooks.prisma",
    ]);
    const diff = await diffDatabaseToSchema(db.url, schema, { script: false });
    expect(diff.stdout?.trim() ?? "").toMatch(/^(No difference detected\.?)?$/);
    expect(diff.exitCode).toBe(0);
  });

  it("detects a deliberate mismatch (a field missing from the migrations)", async () => {
    // A module's file: the projects table gains a column the migrations do not have.
    const edited = schema.map((file) =>
      file.path === "projects.prisma"
        ? {
            ...file,
            content: file.content.replace(
              /(model Project \{\n\s+id\s+String\s+@id @default\(cuid\(\)\)\n)/,
              "$1  color String?\n",
            ),
          }
        : file,
    );
    expect(edited).not.toEqual(schema);
    const diff = await diffDatabaseToSchema(db.url, edited, { script: true });
    expect(diff.exitCode).toBe(2);
    expect(diff.stdout).toContain(`ADD COLUMN     "color" TEXT`);
  });
});
