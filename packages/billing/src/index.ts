export * from "./catalog.ts";
export * from "./entitlements.ts";
export * from "./gating.ts";
