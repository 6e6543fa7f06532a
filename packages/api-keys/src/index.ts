export * from "./format.ts";
export * from "./store.ts";
export * from "./verifier.ts";
export * from "./last-used.ts";
export * from "./runtime.ts";
