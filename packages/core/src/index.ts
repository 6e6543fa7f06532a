// @plinth/core: what every service and transport shares — the request scope, the error
// catalogue, roles and the audit trail. No transport, no product feature.
export * from "./audit.ts";
export * from "./errors.ts";
export * from "./roles.ts";
export * from "./scope.ts";
