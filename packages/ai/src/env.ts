// @plinth/ai's configuration (@t3-oss/env-core; composed by the apps that run AI calls).
// Unset OPENAI_API_KEY: the platform has no provider key and uses the offline demo provider
// (an organization may still bring its own key, from the vault).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseAiEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** The platform's key for the OpenAI-compatible provider. */
      OPENAI_API_KEY: z.string().trim().min(1).optional(),
      /** OpenAI-compatible endpoint: Azure, OpenRouter, vLLM, Ollama (…/v1). Unset: OpenAI. */
      OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
      /** Longest silence from the provider (before the answer starts and between chunks). */
      AI_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
      /** Retries of a call on 429, 5xx, timeouts and connection failures (before any token). */
      AI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
      /**
       * true: an organization's own base URL may point at loopback, private or link-local
       * addresses (development and tests; a self-hosted install whose Ollama runs beside it).
       */
      AI_ALLOW_PRIVATE_NETWORKS: z
        .enum(["true", "false"])
        .default("false")
        .transform((value) => value === "true"),
    },
    ...envOptions("ai", source),
  });
}

export type AiEnv = ReturnType<typeof parseAiEnv>;

export const aiEnv = once(() => parseAiEnv());
