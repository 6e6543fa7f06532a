// Which speech and AI adapters a practice session uses. The platform's are configuration
// (env.ts); offline by default — PocketSphinx, espeak-ng and @plinth/ai's offline demo provider
// — so practice works on a fresh checkout. A company can choose its own speech-to-text,
// text-to-speech and LLM (the prospect and the coach: OpenAI with a model of its choice)
// (practice_settings) with its own keys in the vault (names below): each session resolves its
// company's adapters when its socket authenticates. A company without a choice, or whose
// chosen adapter's key is gone or unreadable, uses the platform's (logged, never the key). Each
// adapter's id and `offline` flag is stored with the session and shown as a label.
import {
  createOpenAICompatibleProvider,
  createPlatformProvider,
  OFFLINE_DEFAULT_MODEL,
  type AiProvider,
} from "@plinth/ai";
import { aiEnv, type AiEnv } from "@plinth/ai/env";
import type { Logger } from "@plinth/core/logger";
import type { TransactionClient } from "@plinth/db";
import {
  createDeepgramTranscriber,
  createElevenLabsSynthesizer,
  createEspeakSynthesizer,
  createOpenAITranscriber,
  createPocketSphinxTranscriber,
  ESPEAK_PROVIDER_ID,
  POCKETSPHINX_PROVIDER_ID,
  type SpeechToText,
  type TextToSpeech,
} from "@plinth/speech";
import { isVaultError, readSecret, type Keyring } from "@plinth/vault";
import {
  LLM_MODEL_CHOICES,
  SPEECH_TO_TEXT_CHOICES,
  TEXT_TO_SPEECH_CHOICES,
  type LlmModelChoice,
  type ProviderKeyVendor,
  type SpeechToTextChoice,
  type TextToSpeechChoice,
} from "./contract.ts";
import type { VoiceEnv } from "./env.ts";

export interface VoiceProviders {
  stt: SpeechToText;
  /** null: the prospect answers in text only. */
  tts: TextToSpeech | null;
  llm: AiProvider;
  model: string;
}

/** The vault entry of each vendor's key a company stored (organization-owned, write-only). */
export const PROVIDER_KEY_SECRETS: Record<ProviderKeyVendor, string> = {
  openai: "voice.openai.api_key",
  deepgram: "voice.deepgram.api_key",
  elevenlabs: "voice.elevenlabs.api_key",
};

/** The vendor whose key an adapter needs (null: it runs on this machine). */
export const STT_KEY_VENDOR: Record<SpeechToTextChoice, ProviderKeyVendor | null> = {
  pocketsphinx: null,
  openai: "openai",
  deepgram: "deepgram",
};
export const TTS_KEY_VENDOR: Record<TextToSpeechChoice, ProviderKeyVendor | null> = {
  espeak: null,
  elevenlabs: "elevenlabs",
  none: null,
};
/** A company's own LLM runs on its OpenAI key (the same entry as its OpenAI transcription). */
export const LLM_KEY_VENDOR: ProviderKeyVendor = "openai";

/** The id stored as a session's llmProvider when the company's own OpenAI key served it. */
export const OWN_OPENAI_LLM_ID = "openai";

/** A stored model that is (still) on the allowed list, or null. */
export function asLlmModel(value: string | null | undefined): LlmModelChoice | null {
  return LLM_MODEL_CHOICES.find((model) => model === value) ?? null;
}

/** The platform's speech-to-text: a cloud choice without its key is PocketSphinx (logged). */
function platformSpeechToText(env: VoiceEnv, logger: Logger | undefined): SpeechToText {
  const choice = env.VOICE_STT_PROVIDER;
  if (choice === "openai" && env.VOICE_OPENAI_API_KEY) {
    return createOpenAITranscriber({
      apiKey: env.VOICE_OPENAI_API_KEY,
      baseURL: env.VOICE_OPENAI_BASE_URL,
      logger,
    });
  }
  if (choice === "deepgram" && env.DEEPGRAM_API_KEY) {
    return createDeepgramTranscriber({
      apiKey: env.DEEPGRAM_API_KEY,
      baseURL: env.DEEPGRAM_BASE_URL,
      logger,
    });
  }
  if (choice !== "pocketsphinx") {
    logger?.warn(
      {
        VOICE_STT_PROVIDER: choice,
        missing: choice === "openai" ? "VOICE_OPENAI_API_KEY" : "DEEPGRAM_API_KEY",
      },
      "the platform's speech-to-text has no key: PocketSphinx (offline) is used",
    );
  }
  return createPocketSphinxTranscriber();
}

function platformTextToSpeech(env: VoiceEnv, logger: Logger | undefined): TextToSpeech | null {
  if (env.VOICE_TTS_PROVIDER === "none") return null;
  if (env.VOICE_TTS_PROVIDER === "elevenlabs") {
    if (env.ELEVENLABS_API_KEY) {
      return createElevenLabsSynthesizer({
        apiKey: env.ELEVENLABS_API_KEY,
        baseURL: env.ELEVENLABS_BASE_URL,
        logger,
      });
    }
    logger?.warn(
      { VOICE_TTS_PROVIDER: "elevenlabs", missing: "ELEVENLABS_API_KEY" },
      "the platform's text-to-speech has no key: espeak-ng (offline) is used",
    );
  }
  return createEspeakSynthesizer();
}

export function createVoiceProviders(
  env: VoiceEnv,
  options: { logger?: Logger | undefined } = {},
): VoiceProviders {
  const stt = platformSpeechToText(env, options.logger);
  const tts = platformTextToSpeech(env, options.logger);
  const llm = createPlatformProvider(aiEnv(), options);
  return { stt, tts, llm, model: llm.offline ? OFFLINE_DEFAULT_MODEL : env.VOICE_LLM_MODEL };
}

/** Resolves a company's adapters (its choice, its keys) over the platform's. */
export interface VoiceProviderResolver {
  /** The platform's adapters (env): a company without its own choice uses these. */
  readonly platform: VoiceProviders;
  /**
   * The adapters of `organizationId`'s sessions. `tx` is a transaction of that organization
   * (RLS) or the system client; the keys are read from the vault and handed to the adapters
   * only (never answered or logged).
   */
  forOrganization(tx: TransactionClient, organizationId: string): Promise<VoiceProviders>;
}

export interface VoiceProviderResolverOptions {
  logger?: Logger | undefined;
  /** The vault's keyring (default: ENCRYPTION_KEYS). */
  keyring?: Keyring | undefined;
  /** The platform's adapters (default: createVoiceProviders(env)). */
  platform?: VoiceProviders | undefined;
  /** Timeouts and retries of a company's own LLM calls (default: aiEnv()). */
  ai?: Pick<AiEnv, "AI_REQUEST_TIMEOUT_MS" | "AI_MAX_RETRIES"> | undefined;
}

export function createVoiceProviderResolver(
  env: VoiceEnv,
  options: VoiceProviderResolverOptions = {},
): VoiceProviderResolver {
  const { logger } = options;
  const platform = options.platform ?? createVoiceProviders(env, { logger });
  const sttChoice = (value: string | null) =>
    SPEECH_TO_TEXT_CHOICES.find((choice) => choice === value) ?? null;
  const ttsChoice = (value: string | null) =>
    TEXT_TO_SPEECH_CHOICES.find((choice) => choice === value) ?? null;

  /** The company's key for `vendor`, or null (none stored, no vault, or unreadable). */
  async function ownKey(
    tx: TransactionClient,
    organizationId: string,
    vendor: ProviderKeyVendor,
  ): Promise<string | null> {
    try {
      const secret = await readSecret(
        tx,
        { organizationId, name: PROVIDER_KEY_SECRETS[vendor] },
        options.keyring,
      );
      return secret?.reveal() ?? null;
    } catch (error) {
      // No vault: no company can have stored a key (storing one is refused then).
      if (isVaultError(error, "NOT_CONFIGURED")) return null;
      // The code only (a VaultError's message names no value; the key is never logged).
      logger?.warn(
        { organizationId, vendor, code: isVaultError(error) ? error.code : "unknown" },
        "a company's provider key cannot be read: the platform's adapter is used",
      );
      return null;
    }
  }

  async function speechToText(
    tx: TransactionClient,
    organizationId: string,
    choice: SpeechToTextChoice | null,
  ): Promise<SpeechToText> {
    if (choice === null) return platform.stt;
    if (choice === "pocketsphinx") {
      return platform.stt.id === POCKETSPHINX_PROVIDER_ID
        ? platform.stt
        : createPocketSphinxTranscriber();
    }
    const vendor = STT_KEY_VENDOR[choice];
    const apiKey = vendor ? await ownKey(tx, organizationId, vendor) : null;
    if (!apiKey) return fallback(organizationId, "speech-to-text", choice, platform.stt);
    return choice === "openai"
      ? createOpenAITranscriber({ apiKey, baseURL: env.VOICE_OPENAI_BASE_URL, logger })
      : createDeepgramTranscriber({ apiKey, baseURL: env.DEEPGRAM_BASE_URL, logger });
  }

  async function textToSpeech(
    tx: TransactionClient,
    organizationId: string,
    choice: TextToSpeechChoice | null,
  ): Promise<TextToSpeech | null> {
    if (choice === null) return platform.tts;
    if (choice === "none") return null;
    if (choice === "espeak") {
      return platform.tts?.id === ESPEAK_PROVIDER_ID ? platform.tts : createEspeakSynthesizer();
    }
    const apiKey = await ownKey(tx, organizationId, "elevenlabs");
    if (!apiKey) return fallback(organizationId, "text-to-speech", choice, platform.tts);
    return createElevenLabsSynthesizer({ apiKey, baseURL: env.ELEVENLABS_BASE_URL, logger });
  }

  /** The prospect's and the coach's LLM and model: the company's OpenAI, or the platform's. */
  async function languageModel(
    tx: TransactionClient,
    organizationId: string,
    stored: string | null,
  ): Promise<Pick<VoiceProviders, "llm" | "model">> {
    const platformLlm = { llm: platform.llm, model: platform.model };
    if (stored === null) return platformLlm;
    const model = asLlmModel(stored);
    // A model taken off the allowed list since it was chosen: not sent on the company's key.
    if (!model) return fallback(organizationId, "llm", stored, platformLlm);
    const apiKey = await ownKey(tx, organizationId, LLM_KEY_VENDOR);
    if (!apiKey) return fallback(organizationId, "llm", model, platformLlm);
    const ai = options.ai ?? aiEnv();
    const provider = createOpenAICompatibleProvider({
      apiKey,
      // The operator's address for OpenAI (as for the company's transcription), never the
      // platform's OPENAI_BASE_URL: that may be another vendor's server.
      baseURL: env.VOICE_OPENAI_BASE_URL,
      timeoutMs: ai.AI_REQUEST_TIMEOUT_MS,
      retry: { maxRetries: ai.AI_MAX_RETRIES },
      logger,
    });
    // Its own id and label: the session's llmProvider says the company's key served it.
    const llm: AiProvider = {
      id: OWN_OPENAI_LLM_ID,
      name: `OpenAI ${model} (company key)`,
      offline: false,
      stream: (request, callOptions) => provider.stream(request, callOptions),
    };
    return { llm, model };
  }

  function fallback<T>(organizationId: string, role: string, choice: string, adapter: T): T {
    logger?.warn(
      { organizationId, role, choice },
      "a company's chosen adapter has no key of its own: the platform's is used",
    );
    return adapter;
  }

  return {
    platform,
    async forOrganization(tx, organizationId) {
      const settings = await tx.practiceSettings.findUnique({
        where: { organizationId },
        select: { speechToText: true, textToSpeech: true, llmModel: true },
      });
      if (
        !settings ||
        (settings.speechToText === null &&
          settings.textToSpeech === null &&
          settings.llmModel === null)
      ) {
        return platform;
      }
      return {
        stt: await speechToText(tx, organizationId, sttChoice(settings.speechToText)),
        tts: await textToSpeech(tx, organizationId, ttsChoice(settings.textToSpeech)),
        ...(await languageModel(tx, organizationId, settings.llmModel)),
      };
    },
  };
}
