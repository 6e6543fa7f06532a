// API key management (owners and admins, on plans with API access): the create and rotate
// answers carry the full key once; lists show name, prefix + last four, scopes, creator,
// dates and status. Services: @plinth/platform/api-keys.
import { coreModule } from "@plinth/platform";
import * as apiKeys from "@plinth/platform/api-keys";
import { apiKeyInput, createApiKeyInput, rotateApiKeyInput } from "@plinth/platform/contracts";
import { gatingFor } from "../../gating.ts";
import { orgAdminProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

const { feature } = gatingFor(coreModule);
const admin = orgAdminProcedure.use(feature("api.access"));

export const apiKeyRouter = createTRPCRouter({
  /** The scopes a key of this product may hold (core's and the enabled modules'). */
  scopes: admin.query(({ ctx }) => apiKeys.availableApiScopes(ctx.scope)),
  list: admin.query(({ ctx }) => apiKeys.listApiKeys(ctx.scope)),
  /** Counts against the plan's apiKeys limit (the service holds it). */
  create: admin
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx.scope, input)),
  revoke: admin
    .input(apiKeyInput)
    .mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx.scope, input)),
  rotate: admin
    .input(rotateApiKeyInput)
    .mutation(({ ctx, input }) => apiKeys.rotateApiKey(ctx.scope, input)),
});
