// The product's WebSocket endpoints (apps/gateway attaches them to its HTTP server): the
// voice-training practice socket when the active product enables that module. A disabled
// module's socket path answers like any unknown path (the upgrade is refused).
import type { ProductRuntime } from "@plinth/platform";
import {
  createPracticeSocketServer,
  PRACTICE_SOCKET_PATH,
  type PracticeSocketDeps,
  type PracticeSocketServer,
} from "@plinth/voice-training/live";
import { voiceEnv } from "@plinth/voice-training/env";
import { createVoiceProviderResolver } from "@plinth/voice-training/providers";

export interface ProductSocket {
  path: string;
  server: PracticeSocketServer;
}

export type ProductSocketDeps = Omit<PracticeSocketDeps, "providers" | "product"> &
  Partial<Pick<PracticeSocketDeps, "providers">>;

export function productSockets(product: ProductRuntime, deps: ProductSocketDeps): ProductSocket[] {
  if (!product.isEnabled("voice-training")) return [];
  const env = voiceEnv();
  // Each session gets its company's own adapters (its keys, from the vault) or the platform's.
  const providers = deps.providers ?? createVoiceProviderResolver(env, { logger: deps.logger });
  return [
    {
      path: PRACTICE_SOCKET_PATH,
      server: createPracticeSocketServer({
        silenceTimeoutMs: env.PRACTICE_SILENCE_TIMEOUT_MS,
        ...deps,
        product,
        providers,
      }),
    },
  ];
}
