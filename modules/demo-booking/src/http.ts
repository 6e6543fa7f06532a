// The demo-booking module's public API routes: none. Its public surface is the /demo page's
// tRPC procedure and the Calendly webhook route of the web app (src/webhook-route.ts).
import type { HttpRoutes } from "@plinth/platform/http";

export const routes: HttpRoutes = [];
