// Fixtures for this module's tests: the test-automation preset with core's routers and this
// module's (projects are made directly: another module's router is not ours to import).
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit } from "@plinth/trpc/testing";
import { generateKeyEntry } from "@plinth/vault";
import presets from "../../../plinth.config.ts";
import { routers } from "../src/trpc.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

export const product = createProductRuntime(presets["test-automation"]);
export const appRouter = createAppRouter(product, { "test-automation": routers });
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "@plinth/trpc/testing";
