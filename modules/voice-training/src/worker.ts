// The voice-training module's worker adapter: no jobs or run kinds yet.
import { defineModuleWorker } from "@plinth/platform/worker";
import { voiceTrainingModule } from "./index.ts";

export const worker = defineModuleWorker(voiceTrainingModule, { handlers: {} });
