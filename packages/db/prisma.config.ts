import { defineConfig } from "prisma/config";

// Prisma only generates the client here. Migrations are plain SQL in prisma/migrations,
// applied by packages/db/src/migrate.ts (see docs/database.md for why).
export default defineConfig({
  schema: "../../prisma/schema",
  migrations: { path: "../../prisma/migrations" },
});
