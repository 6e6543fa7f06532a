// The product's gateway routes (issue 12 serves them): every enabled module's http.ts.
import type { ProductRuntime } from "@plinth/platform";
import type { HttpRoutes } from "@plinth/platform/http";
import { routes as aiTasks } from "@plinth/ai-tasks/http";
import { routes as projects } from "@plinth/projects/http";
import { routes as teams } from "@plinth/teams/http";
import { routes as voiceTraining } from "@plinth/voice-training/http";
import type { ModuleKey } from "./modules.ts";

const moduleRoutes = {
  teams,
  projects,
  "ai-tasks": aiTasks,
  "voice-training": voiceTraining,
} satisfies Record<ModuleKey, HttpRoutes>;

export function productRoutes(product: ProductRuntime): HttpRoutes {
  return Object.entries(moduleRoutes).flatMap(([key, routes]) =>
    product.isEnabled(key) ? routes : [],
  );
}
