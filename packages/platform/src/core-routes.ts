// Core's own public API routes (beside the modules' http.ts): GET /api/v1/usage. The gateway
// serves GET /api/v1/health itself (no key, no organization).
import { z } from "zod";
import { defineHttpRoute, type HttpRoutes } from "./http.ts";
import { currentUsage } from "./services/usage.ts";

const meterUsage = z.object({
  meter: z.string(),
  label: z.string(),
  unit: z.string(),
  included: z.number().nullable(),
  used: z.number(),
  overage: z.number(),
  overageMicroCents: z.number().nullable(),
});

export const coreRoutes: HttpRoutes = [
  defineHttpRoute({
    method: "GET",
    path: "/usage",
    summary: "The organization's usage in the current billing period, per meter",
    apiScope: "usage:read",
    write: false,
    successStatus: 200,
    response: z.object({
      periodStart: z.date().transform((date) => date.toISOString()),
      plan: z.string(),
      meters: z.array(meterUsage),
    }),
    handle: (scope) => currentUsage(scope),
  }),
];
