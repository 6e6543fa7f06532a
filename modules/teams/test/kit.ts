// Fixtures for this module's tests: the demo product (plinth.config.ts, preset `all`) with the
// core routers and this module's own (other modules test theirs; @plinth/product the whole).
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit } from "@plinth/trpc/testing";
import presets from "../../../plinth.config.ts";
import { routers } from "../src/trpc.ts";

export const product = createProductRuntime(presets.all);
export const appRouter = createAppRouter(product, { teams: routers });
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "@plinth/trpc/testing";
