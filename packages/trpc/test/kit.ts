// The core routers of the demo product (plinth.config.ts, preset `all`), for this package's
// tests: core procedures only (modules test their own routers, @plinth/product the whole).
import { createProductRuntime } from "@plinth/platform";
import presets from "../../../plinth.config.ts";
import { createAppRouter } from "../src/root.ts";
import { createTestKit } from "./helpers.ts";

export const product = createProductRuntime(presets.all);
export const router = createAppRouter(product, {});
export const { callerFor, createOrganization } = createTestKit(product, router);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "./helpers.ts";
export { router as appRouter };
