// Fixtures for this module's tests: the demo product (preset `all`) with core's routers and
// this module's own.
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit } from "@plinth/trpc/testing";
import presets from "../../../plinth.config.ts";
import { routers } from "../src/trpc.ts";

export const product = createProductRuntime(presets.all);
export const appRouter = createAppRouter(product, { "api-catalog": routers });
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { createUser, setPlan, silentLogger, TRPCError } from "@plinth/trpc/testing";
