// A company's own adapters ("bring your own keys"): an admin chooses the speech-to-text, the
// text-to-speech and the LLM (the prospect and the coach: OpenAI, one of LLM_MODEL_CHOICES) its
// sessions use and stores the vendors' keys in the vault. Keys are
// write-only: answers carry whether one is set, its hint (the last 4 characters at most) and
// when it was set — never the key, in an answer, the audit log, a log line or an export.
// providers.ts resolves the adapters per session from what is stored here.
import { recordAudit } from "@plinth/core/audit";
import { AppError } from "@plinth/core/errors";
import type { TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import { deleteSecret, describeSecret, isVaultError, putSecret } from "@plinth/vault";
import {
  PROVIDER_KEY_VENDORS,
  SPEECH_TO_TEXT_CHOICES,
  TEXT_TO_SPEECH_CHOICES,
  type LlmChoice,
  type ProviderKeyVendor,
  type SpeechToTextChoice,
  type TextToSpeechChoice,
} from "./contract.ts";
import {
  asLlmModel,
  LLM_KEY_VENDOR,
  PROVIDER_KEY_SECRETS,
  STT_KEY_VENDOR,
  TTS_KEY_VENDOR,
  type VoiceProviders,
} from "./providers.ts";

const VENDOR_NAMES: Record<ProviderKeyVendor, string> = {
  openai: "OpenAI",
  deepgram: "Deepgram",
  elevenlabs: "ElevenLabs",
};

function asStt(value: string | null): SpeechToTextChoice | null {
  return SPEECH_TO_TEXT_CHOICES.find((choice) => choice === value) ?? null;
}
function asTts(value: string | null): TextToSpeechChoice | null {
  return TEXT_TO_SPEECH_CHOICES.find((choice) => choice === value) ?? null;
}
/** The stored llm_model as the contract's choice (OpenAI is the only vendor so far). */
function asLlm(value: string | null): LlmChoice | null {
  const model = asLlmModel(value);
  return model ? { provider: "openai", model } : null;
}

async function storedKeys(tx: TransactionClient, organizationId: string) {
  const entries = await Promise.all(
    PROVIDER_KEY_VENDORS.map(async (vendor) => {
      const described = await describeSecret(tx, {
        organizationId,
        name: PROVIDER_KEY_SECRETS[vendor],
      });
      return [
        vendor,
        described
          ? { set: true as const, hint: described.hint, updatedAt: described.updatedAt }
          : null,
      ] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<
    ProviderKeyVendor,
    { set: true; hint: string; updatedAt: Date } | null
  >;
}

/** What the settings page shows: the company's choice, its keys (masked) and the platform's. */
export async function getProviderSettings(scope: OrgScope, platform: VoiceProviders) {
  const organizationId = scope.organization.id;
  const [settings, keys] = await scope.db.transaction(async (tx) => [
    await tx.practiceSettings.findUnique({
      where: { organizationId },
      select: { speechToText: true, textToSpeech: true, llmModel: true },
    }),
    await storedKeys(tx, organizationId),
  ]);
  return {
    speechToText: asStt(settings?.speechToText ?? null),
    textToSpeech: asTts(settings?.textToSpeech ?? null),
    llm: asLlm(settings?.llmModel ?? null),
    keys,
    platform: {
      speechToText: { id: platform.stt.id, name: platform.stt.name, offline: platform.stt.offline },
      textToSpeech: platform.tts
        ? { id: platform.tts.id, name: platform.tts.name, offline: platform.tts.offline }
        : null,
      llm: {
        id: platform.llm.id,
        name: platform.llm.name,
        offline: platform.llm.offline,
        model: platform.model,
      },
    },
  };
}

function vaultRefusal(error: unknown, vendor: ProviderKeyVendor): never {
  if (isVaultError(error, "NOT_CONFIGURED")) {
    throw new AppError({
      code: "INVALID_STATE",
      detail: "The vault is not configured (ENCRYPTION_KEYS): keys cannot be stored",
    });
  }
  if (isVaultError(error, "INVALID_INPUT")) {
    throw new AppError({
      code: "INVALID_INPUT",
      field: `keys.${vendor}`,
      reason: "Not a valid key",
    });
  }
  throw error;
}

/**
 * Stores the keys given (replacing those of the same vendor), then the choice. A cloud adapter
 * needs the company's own key for its vendor (given now or stored before): the platform's key
 * is never spent on a company's choice. Audited with the vendors whose key changed, never a key.
 */
export async function updateProviderSettings(
  scope: OrgScope,
  input: {
    speechToText: SpeechToTextChoice | null;
    textToSpeech: TextToSpeechChoice | null;
    /** Left out: the stored LLM choice stays. */
    llm?: LlmChoice | null | undefined;
    keys?: Partial<Record<ProviderKeyVendor, string | undefined>> | undefined;
  },
  platform: VoiceProviders,
) {
  const organizationId = scope.organization.id;
  await scope.db.transaction(async (tx) => {
    const keysSet: ProviderKeyVendor[] = [];
    for (const vendor of PROVIDER_KEY_VENDORS) {
      const plaintext = input.keys?.[vendor];
      if (plaintext === undefined) continue;
      await putSecret(tx, {
        organizationId,
        name: PROVIDER_KEY_SECRETS[vendor],
        plaintext,
      }).catch((error: unknown) => vaultRefusal(error, vendor));
      keysSet.push(vendor);
    }
    const keys = await storedKeys(tx, organizationId);
    const needs: [string, ProviderKeyVendor | null][] = [
      ["speechToText", input.speechToText ? STT_KEY_VENDOR[input.speechToText] : null],
      ["textToSpeech", input.textToSpeech ? TTS_KEY_VENDOR[input.textToSpeech] : null],
      ["llm", input.llm ? LLM_KEY_VENDOR : null],
    ];
    for (const [field, vendor] of needs) {
      if (vendor && !keys[vendor]) {
        throw new AppError({
          code: "INVALID_INPUT",
          field,
          reason: `Add the company's ${VENDOR_NAMES[vendor]} key to use it`,
        });
      }
    }
    const before = await tx.practiceSettings.findUnique({
      where: { organizationId },
      select: { speechToText: true, textToSpeech: true, llmModel: true, updatedAt: true },
    });
    const llmModel = input.llm === undefined ? undefined : (input.llm?.model ?? null);
    await tx.practiceSettings.upsert({
      where: { organizationId },
      create: {
        organizationId,
        speechToText: input.speechToText,
        textToSpeech: input.textToSpeech,
        llmModel,
      },
      // updated_at is when the retention last changed (the settings page says so); this
      // change is in the audit log.
      update: {
        speechToText: input.speechToText,
        textToSpeech: input.textToSpeech,
        llmModel,
        updatedAt: before?.updatedAt,
      },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.providers.updated",
      targetType: "organization",
      targetId: organizationId,
      changes: {
        speechToText: { from: before?.speechToText ?? null, to: input.speechToText },
        textToSpeech: { from: before?.textToSpeech ?? null, to: input.textToSpeech },
        ...(llmModel === undefined
          ? {}
          : { llmModel: { from: before?.llmModel ?? null, to: llmModel } }),
        // Which keys were replaced, as "set": never a key or its hint.
        ...Object.fromEntries(keysSet.map((vendor) => [`key.${vendor}`, { to: "set" }])),
      },
    });
  });
  return getProviderSettings(scope, platform);
}

/**
 * Removes the company's key of `vendor`; a choice that needed it goes back to the platform's
 * adapter in the same transaction (sessions never fall back silently to a missing key).
 */
export async function deleteProviderKey(
  scope: OrgScope,
  input: { vendor: ProviderKeyVendor },
  platform: VoiceProviders,
) {
  const organizationId = scope.organization.id;
  await scope.db.transaction(async (tx) => {
    const deleted = await deleteSecret(tx, {
      organizationId,
      name: PROVIDER_KEY_SECRETS[input.vendor],
    });
    if (!deleted) return;
    const settings = await tx.practiceSettings.findUnique({
      where: { organizationId },
      select: { speechToText: true, textToSpeech: true, llmModel: true, updatedAt: true },
    });
    const stt = asStt(settings?.speechToText ?? null);
    const tts = asTts(settings?.textToSpeech ?? null);
    const llmModel = settings?.llmModel ?? null;
    const resetStt = stt !== null && STT_KEY_VENDOR[stt] === input.vendor;
    const resetTts = tts !== null && TTS_KEY_VENDOR[tts] === input.vendor;
    const resetLlm = llmModel !== null && LLM_KEY_VENDOR === input.vendor;
    if (resetStt || resetTts || resetLlm) {
      await tx.practiceSettings.update({
        where: { organizationId },
        data: {
          ...(resetStt ? { speechToText: null } : {}),
          ...(resetTts ? { textToSpeech: null } : {}),
          ...(resetLlm ? { llmModel: null } : {}),
          updatedAt: settings?.updatedAt, // the retention's change time, as above
        },
      });
    }
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.provider_key.deleted",
      targetType: "vault_secret",
      targetId: PROVIDER_KEY_SECRETS[input.vendor],
      changes: {
        [`key.${input.vendor}`]: { from: "set", to: null },
        ...(resetStt ? { speechToText: { from: stt, to: null } } : {}),
        ...(resetTts ? { textToSpeech: { from: tts, to: null } } : {}),
        ...(resetLlm ? { llmModel: { from: llmModel, to: null } } : {}),
      },
    });
  });
  return getProviderSettings(scope, platform);
}
