// The procedures' input schemas, importable by browser code (`@plinth/api/contracts`): forms
// validate with exactly what the server validates with. zod only — nothing server-side.
export * from "./account/contract.ts";
export * from "./billing/contract.ts";
export * from "./organizations/contract.ts";
export * from "./projects/contract.ts";
export * from "./teams/contract.ts";
