// The platform's own provider, from the environment: the OpenAI-compatible adapter with the
// platform key when OPENAI_API_KEY is set, otherwise the offline demo provider. An
// organization's own key (from the vault) goes straight to createOpenAICompatibleProvider.
import type { Logger } from "@plinth/core/logger";
import type { AiEnv } from "./env.ts";
import { createOfflineProvider } from "./offline.ts";
import { createOpenAICompatibleProvider } from "./openai-compatible.ts";
import type { AiProvider } from "./provider.ts";

export function createPlatformProvider(env: AiEnv, options: { logger?: Logger } = {}): AiProvider {
  if (!env.OPENAI_API_KEY) return createOfflineProvider();
  return createOpenAICompatibleProvider({
    apiKey: env.OPENAI_API_KEY,
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    timeoutMs: env.AI_REQUEST_TIMEOUT_MS,
    retry: { maxRetries: env.AI_MAX_RETRIES },
    logger: options.logger,
  });
}
