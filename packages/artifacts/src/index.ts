export * from "./store.ts";
export * from "./local.ts";
export * from "./s3.ts";
export * from "./signed-link.ts";
