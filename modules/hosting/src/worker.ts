// The hosting module's worker adapter: the "hosting-provision" run kind (./executor.ts) with
// the provider adapters by key (local PostgreSQL; terraform where configured).
import { defineModuleWorker } from "@plinth/platform/worker";
import { createHostingRunKind } from "./executor.ts";
import { HOSTING_RUN_KIND, hostingModule } from "./index.ts";
import { createLocalProvider } from "./providers/local.ts";
import type { HostingProvider } from "./providers/types.ts";

const providers: Record<string, HostingProvider> = { local: createLocalProvider() };

export const hostingRunKind = createHostingRunKind({
  provider: (key) => {
    const provider = providers[key];
    if (!provider) throw new Error(`No hosting provider "${key}" is configured`);
    return provider;
  },
});

export const worker = defineModuleWorker(hostingModule, {
  handlers: {},
  runKinds: { [HOSTING_RUN_KIND]: hostingRunKind },
});
