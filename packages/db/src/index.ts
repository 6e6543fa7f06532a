export * from "./client.ts";
export * from "./json.ts";
export * from "./membership.ts";
export * from "./tenant.ts";
export { Prisma } from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";
export type * from "./generated/prisma/models.ts";
export { getDatabase } from "./singleton.ts";
export { dbEnv, parseDbEnv, type DbEnv } from "./env.ts";
