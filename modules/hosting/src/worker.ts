// The hosting module's worker adapter: the "hosting-provision" run kind (./executor.ts) with
// the provider adapters by key (local PostgreSQL; terraform: packages/terraform's CLI driver).
import { defineModuleWorker } from "@plinth/platform/worker";
import { terraformEnv } from "@plinth/terraform";
import { localServerUrl } from "./env.ts";
import { createHostingRunKind } from "./executor.ts";
import { HOSTING_RUN_KIND, hostingModule } from "./index.ts";
import { createLocalProvider } from "./providers/local.ts";
import { createTerraformProvider } from "./providers/terraform.ts";
import type { HostingProvider } from "./providers/types.ts";

const providers: Record<string, () => HostingProvider> = {
  local: () => createLocalProvider(),
  terraform: () =>
    createTerraformProvider({
      root: terraformEnv().TERRAFORM_WORK_DIR,
      backendUrl: () => localServerUrl(),
    }),
};
const built = new Map<string, HostingProvider>();

export const hostingRunKind = createHostingRunKind({
  provider: (key) => {
    const make = providers[key];
    if (!make) throw new Error(`No hosting provider "${key}" is configured`);
    const provider = built.get(key) ?? make();
    built.set(key, provider);
    return provider;
  },
});

export const worker = defineModuleWorker(hostingModule, {
  handlers: {},
  runKinds: { [HOSTING_RUN_KIND]: hostingRunKind },
});

export { createHostingRunKind } from "./executor.ts";
export { createLocalProvider, localNames } from "./providers/local.ts";
