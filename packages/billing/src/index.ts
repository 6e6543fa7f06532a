export * from "./catalog.ts";
export * from "./entitlements.ts";
