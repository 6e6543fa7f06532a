// The product's gateway routes (apps/gateway serves them under /api/v1): core's (usage) and
// every enabled module's http.ts. A disabled module's routes are absent (404).
import type { ProductRuntime } from "@plinth/platform";
import { coreRoutes } from "@plinth/platform/core-routes";
import type { GatewayExtensionFactory, HttpRoutes } from "@plinth/platform/http";
import { routes as aiTasks } from "@plinth/ai-tasks/http";
import { routes as apiCatalog } from "@plinth/api-catalog/http";
import { createCatalogExtension } from "@plinth/api-catalog/gateway";
import { routes as demoBooking } from "@plinth/demo-booking/http";
import { routes as hosting } from "@plinth/hosting/http";
import { routes as projects } from "@plinth/projects/http";
import { routes as teams } from "@plinth/teams/http";
import { routes as testAutomation } from "@plinth/test-automation/http";
import { routes as voiceTraining } from "@plinth/voice-training/http";
import type { ModuleKey } from "./modules.ts";

const moduleRoutes = {
  teams,
  projects,
  "ai-tasks": aiTasks,
  "voice-training": voiceTraining,
  "api-catalog": apiCatalog,
  "test-automation": testAutomation,
  hosting,
  "demo-booking": demoBooking,
} satisfies Record<ModuleKey, HttpRoutes>;

export function productRoutes(product: ProductRuntime): HttpRoutes {
  return [
    ...coreRoutes,
    ...Object.entries(moduleRoutes).flatMap(([key, routes]) =>
      product.isEnabled(key) ? routes : [],
    ),
  ];
}

/** Gateway extensions of the enabled modules (the API catalog's proxy). */
export function productGatewayExtensions(product: ProductRuntime): GatewayExtensionFactory[] {
  return product.isEnabled("api-catalog") ? [createCatalogExtension()] : [];
}
