// @plinth/platform: the backbone's own capabilities as plain (scope, input) services, and the
// kit modules are built with — defineModule, definePreset, the product runtime, the request
// and organization scopes. Transports (packages/trpc, later the gateway) call into this.
export * from "./core-module.ts";
export * from "./module.ts";
export * from "./product.ts";
export * from "./scope.ts";
export * from "./organization-context-cache.ts";
export { createOrganizationWithOwner, slugify } from "./services/organizations.ts";
