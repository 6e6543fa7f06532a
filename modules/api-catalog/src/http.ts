// The API catalog's public API routes (apps/gateway, /api/v1): the buyer's catalog
// (`apis:call`) and the same usage numbers as the web pages (`usage:read`). The proxied
// catalog endpoints themselves are the gateway extension (./proxy/extension.ts), not routes.
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import * as buyer from "./buyer.ts";

const iso = z.date().transform((date) => date.toISOString());
const isoOrNull = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);
const days = z.coerce.number().int().min(1).max(366).default(30);
const cuid = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");

const totals = { calls: z.number(), units: z.number(), costMicroCents: z.number() };

const endpointUsage = z.object({
  route: z.string(),
  method: z.string(),
  ...totals,
  errors: z.number(),
  errorRate: z.number(),
  refusalRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "GET",
    path: "/catalog",
    summary: "The APIs this organization may call, with prices and the plan's limits",
    apiScope: "apis:call",
    write: false,
    successStatus: 200,
    response: z.object({
      plan: z.object({
        key: z.string(),
        name: z.string(),
        rateLimit: z.object({ requests: z.number(), windowSeconds: z.number() }),
        units: z
          .object({ included: z.number().nullable(), overageMicroCents: z.number().nullable() })
          .nullable(),
      }),
      products: z.array(
        z.object({
          slug: z.string(),
          name: z.string(),
          description: z.string(),
          visibility: z.enum(["PUBLIC", "PRIVATE"]),
          status: z.enum(["ACTIVE", "DEPRECATED"]),
          sunsetAt: isoOrNull,
          endpoints: z.array(
            z.object({
              method: z.string(),
              path: z.string(),
              summary: z.string(),
              pricePerCallMicroCents: z.number(),
              pricePerUnitMicroCents: z.number(),
              unitsRule: z.enum(["PER_CALL", "HEADER"]),
              unitsHeader: z.string().nullable(),
              rateLimitPerMinute: z.number().nullable(),
              deprecated: z.boolean(),
            }),
          ),
        }),
      ),
    }),
    handle: (scope) => buyer.buyerCatalog(scope),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/usage/summary",
    summary: "This billing period per meter and per key: calls, units, cost, quota utilisation",
    apiScope: "usage:read",
    write: false,
    successStatus: 200,
    response: z.object({
      periodStart: iso,
      meters: z.array(
        z.object({
          meter: z.string(),
          label: z.string(),
          ...totals,
          used: z.number(),
          included: z.number().nullable(),
          utilisation: z.number().nullable(),
        }),
      ),
      keys: z.array(
        z.object({ apiKeyId: z.string(), name: z.string(), prefix: z.string(), ...totals }),
      ),
    }),
    handle: (scope) => buyer.usageSummary(scope),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/usage/endpoints",
    summary: "Per endpoint over the last days: calls, units, cost, error rate, p50/p95 latency",
    apiScope: "usage:read",
    write: false,
    successStatus: 200,
    query: z.object({ days }),
    response: z.object({ data: z.array(endpointUsage) }),
    handle: async (scope, { query }) => ({
      data: await buyer.usageByEndpoint(scope, { days: query.days }),
    }),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/usage/series",
    summary: "Calls, units, cost and errors per hour or day",
    apiScope: "usage:read",
    write: false,
    successStatus: 200,
    query: z.object({ days, bucket: z.enum(["hour", "day"]).default("day") }),
    response: z.object({
      bucket: z.enum(["hour", "day"]),
      points: z.array(z.object({ bucketStart: iso, ...totals, errors: z.number() })),
    }),
    handle: (scope, { query }) => buyer.usageSeries(scope, query),
  }),
  defineHttpRoute({
    method: "GET",
    path: "/usage/log",
    summary: "The detailed call log, newest first (cursor pagination)",
    apiScope: "usage:read",
    write: false,
    successStatus: 200,
    query: z.object({
      apiKeyId: cuid.optional(),
      route: z.string().max(200).check(WELL_FORMED_TEXT).optional(),
      status: z.enum(["2xx", "3xx", "4xx", "5xx"]).optional(),
      from: z.coerce.date().optional(),
      to: z.coerce.date().optional(),
      cursor: z.uuid().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    response: z.object({
      entries: z.array(
        z.object({
          id: z.string(),
          occurredAt: iso,
          apiKeyId: z.string().nullable(),
          meter: z.string(),
          route: z.string().nullable(),
          method: z.string().nullable(),
          status: z.number().nullable(),
          latencyMs: z.number().nullable(),
          units: z.number(),
          costMicroCents: z.number(),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
    handle: (scope, { query }) => buyer.usageLog(scope, query),
  }),
];
