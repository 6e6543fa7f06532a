// The voice-training module's public API routes: none yet.
import type { HttpRoutes } from "@plinth/platform/http";

export const routes: HttpRoutes = [];
