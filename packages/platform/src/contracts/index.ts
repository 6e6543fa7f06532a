// The core procedures' input schemas, importable by browser code
// (`@plinth/platform/contracts`): forms validate with exactly what the server validates with.
// zod and the input rule only — nothing server-side. Modules export theirs from ./contract.
export * from "./account.ts";
export * from "./consents.ts";
export * from "./audit.ts";
export * from "./billing.ts";
export * from "./operator.ts";
export * from "./organizations.ts";
export * from "./runs.ts";
export * from "./api-keys.ts";
export * from "./webhooks.ts";
