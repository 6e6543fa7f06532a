export * from "./define.ts";
export * from "./definitions.ts";
export * from "./enqueue.ts";
export * from "./schema.ts";
export * from "./admin.ts";
export * from "./runs.ts";
export * from "./run-engine.ts";
export * from "./handlers.ts";
