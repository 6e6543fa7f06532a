// The projects module's public API routes (the gateway, issue 12, adds GET/POST /projects and
// GET /projects/{id} here). None yet.
import type { HttpRoutes } from "@plinth/platform/http";

export const routes: HttpRoutes = [];
