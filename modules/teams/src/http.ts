// The teams module's public API routes: none (invitations are managed in the app).
import type { HttpRoutes } from "@plinth/platform/http";

export const routes: HttpRoutes = [];
