// Every product module, by key: the one list web, worker and gateway build from. A module
// added here must also be added to ./trpc.ts, ./http.ts and ./worker.ts — each maps every
// ModuleKey to that transport's adapter (`satisfies Record<ModuleKey, …>`), so a module
// without one does not compile.
import { aiTasksModule } from "@plinth/ai-tasks";
import { apiCatalogModule } from "@plinth/api-catalog";
import { demoBookingModule } from "@plinth/demo-booking";
import { hostingModule } from "@plinth/hosting";
import { projectsModule } from "@plinth/projects";
import { teamsModule } from "@plinth/teams";
import { testAutomationModule } from "@plinth/test-automation";
import { voiceTrainingModule } from "@plinth/voice-training";

export const MODULES = {
  [teamsModule.key]: teamsModule,
  [projectsModule.key]: projectsModule,
  [aiTasksModule.key]: aiTasksModule,
  [voiceTrainingModule.key]: voiceTrainingModule,
  [apiCatalogModule.key]: apiCatalogModule,
  [testAutomationModule.key]: testAutomationModule,
  [hostingModule.key]: hostingModule,
  [demoBookingModule.key]: demoBookingModule,
} as const;

export type ModuleKey = keyof typeof MODULES;
