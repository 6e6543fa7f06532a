// The AI-tasks module (the AI-automation product). For now its declaration only: the
// `ai.tasks` meter the demo's plans sell (included amounts, overage prices, the billing page
// and the operator console). Its models, services, procedures and jobs arrive with the
// AI-automation product; a preset without this module has no AI-task meter at all.
import { defineModule } from "@plinth/platform";

export const aiTasksModule = defineModule({
  key: "ai-tasks",
  name: "AI tasks",
  description: "AI tasks run for the organization, metered per task.",
  meters: {
    "ai.tasks": { description: "AI tasks", unit: "task" },
  },
});

export default aiTasksModule;
