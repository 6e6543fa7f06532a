// Fixtures for the whole product's router (preset `all`: every module), shared by the boundary
// and tenancy tests: real users and organizations, callers acting as them.
import { createTestKit } from "@plinth/trpc/testing";
import { productRuntime } from "../src/index.ts";
import { createProductRouter } from "../src/trpc.ts";

export const product = productRuntime("all");
export const appRouter = createProductRouter(product);
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "@plinth/trpc/testing";
