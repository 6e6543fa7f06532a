// The voice-training module (the sales-training product). For now its declaration only: the
// `session.minutes` meter the demo's plans sell. Its models, services, procedures and jobs
// arrive with the sales-training product; a preset without this module has no such meter.
import { defineModule } from "@plinth/platform";

export const voiceTrainingModule = defineModule({
  key: "voice-training",
  name: "Voice training",
  description: "Voice training sessions, metered per minute.",
  meters: {
    "session.minutes": { description: "Session minutes", unit: "minute" },
  },
});

export default voiceTrainingModule;
