export * from "./sliding-window.ts";
export * from "./memory.ts";
export * from "./redis.ts";
export * from "./headers.ts";
