// Origins of the product's WebSocket endpoints, for the web app's Content-Security-Policy
// (connect-src): the practice socket when the voice-training module is on. Light to import
// (no server code): the web app's proxy reads it on every page request.
import { voiceEnv } from "@plinth/voice-training/env";
import { productEnv } from "./env.ts";
import { presets } from "./presets.ts";

let origins: string[] | undefined;

export function socketOrigins(): readonly string[] {
  if (origins) return origins;
  const preset = presets[productEnv().PLINTH_PRODUCT];
  const voice = preset.modules.some((module) => module.key === "voice-training");
  origins = voice ? [new URL(voiceEnv().PRACTICE_SOCKET_URL).origin] : [];
  return origins;
}
