// The API catalog's procedure inputs (client-safe: zod mini only). The operator console's
// forms validate with these, the router with the very same schemas.
import * as z from "zod/mini";
import { cuid, text } from "@plinth/core/inputs";

/** First path segments the gateway serves itself or through a module: no product may take them. */
export const RESERVED_SLUGS = [
  "health",
  "openapi.json",
  "docs",
  "usage",
  "catalog",
  "projects",
  "teams",
  "tasks",
  "ai-tasks",
  "voice-training",
  "sessions",
  "metrics",
  "api",
  "v1",
] as const;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const PRODUCT_STATUSES = ["ACTIVE", "DEPRECATED", "ARCHIVED"] as const;
export const VISIBILITIES = ["PUBLIC", "PRIVATE"] as const;
export const UNITS_RULES = ["PER_CALL", "HEADER"] as const;

export const productSlug = text(
  40,
  z.regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "Lowercase letters, digits and dashes"),
  z.refine((value) => !(RESERVED_SLUGS as readonly string[]).includes(value), {
    message: "This path is taken by the platform",
  }),
);
export const productName = text(80, z.trim(), z.minLength(1, "Enter a name"));
export const description = text(2_000);
/** An http(s) URL without query or fragment: the endpoints' upstream paths are appended. */
export const upstreamBaseUrl = text(
  500,
  z.url({ protocol: /^https?$/, message: "Enter an http(s) URL" }),
  z.refine((value) => !value.includes("?") && !value.includes("#"), {
    message: "No query or fragment",
  }),
);
/** A header name (RFC 9110 token). */
export const headerName = text(
  64,
  z.toLowerCase(),
  z.regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, "Not a header name"),
  z.refine(
    (value) => !["host", "connection", "content-length", "transfer-encoding"].includes(value),
    {
      message: "This header is set by the gateway",
    },
  ),
);
export const upstreamSecret = text(4_096, z.minLength(1, "Enter the secret"));

/** "/lookup/{id}": segments of letters, digits, - _ . and {param} placeholders. */
export const endpointPath = text(
  200,
  z.regex(
    /^(\/([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]{0,39}\}))+$/,
    "A path like /lookup/{id} (letters, digits, - _ . ~ and {param})",
  ),
);
const microCents = z.int().check(z.minimum(0), z.maximum(1_000_000_000_000));

export const createProductInput = z.object({
  slug: productSlug,
  name: productName,
  description: z._default(description, ""),
  upstreamBaseUrl,
  upstreamAuthHeader: z._default(headerName, "authorization"),
  upstreamSecret: z.optional(upstreamSecret),
  visibility: z._default(z.enum(VISIBILITIES), "PUBLIC"),
});

export const updateProductInput = z.object({
  productId: cuid,
  name: z.optional(productName),
  description: z.optional(description),
  upstreamBaseUrl: z.optional(upstreamBaseUrl),
  upstreamAuthHeader: z.optional(headerName),
  /** A new secret replaces the stored one; null removes it. */
  upstreamSecret: z.optional(z.nullable(upstreamSecret)),
  visibility: z.optional(z.enum(VISIBILITIES)),
});

export const setProductStatusInput = z.object({
  productId: cuid,
  status: z.enum(PRODUCT_STATUSES),
  /** DEPRECATED: when calls stop (ISO date-time); required for DEPRECATED. */
  sunsetAt: z.optional(z.nullable(z.coerce.date())),
});

export const productAccessInput = z.object({
  productId: cuid,
  organizationSlug: text(64, z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Not a valid slug")),
});

export const productInput = z.object({ productId: cuid });

const endpointFields = {
  method: z.enum(HTTP_METHODS),
  path: endpointPath,
  upstreamPath: endpointPath,
  summary: text(120, z.trim(), z.minLength(1, "Enter a summary")),
  description: z._default(description, ""),
  rateLimitPerMinute: z._default(
    z.nullable(z.int().check(z.minimum(1), z.maximum(1_000_000))),
    null,
  ),
  pricePerCallMicroCents: z._default(microCents, 0),
  pricePerUnitMicroCents: z._default(microCents, 0),
  unitsRule: z._default(z.enum(UNITS_RULES), "PER_CALL"),
  unitsHeader: z._default(z.nullable(headerName), null),
};

export const createEndpointInput = z.object({ productId: cuid, ...endpointFields });

export const updateEndpointInput = z.object({
  endpointId: cuid,
  summary: z.optional(endpointFields.summary),
  description: z.optional(description),
  upstreamPath: z.optional(endpointPath),
  rateLimitPerMinute: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(1_000_000)))),
  pricePerCallMicroCents: z.optional(microCents),
  pricePerUnitMicroCents: z.optional(microCents),
  unitsRule: z.optional(z.enum(UNITS_RULES)),
  unitsHeader: z.optional(z.nullable(headerName)),
  status: z.optional(z.enum(PRODUCT_STATUSES)),
});

export const endpointInput = z.object({ endpointId: cuid });

// ── Buyer analytics ──

export const usageRangeInput = z.object({
  /** Days back from now (1–366); default 30. */
  days: z._default(z.int().check(z.minimum(1), z.maximum(366)), 30),
});

export const usageSeriesInput = z.object({
  days: z._default(z.int().check(z.minimum(1), z.maximum(366)), 30),
  bucket: z._default(z.enum(["hour", "day"]), "day"),
});

export const usageLogInput = z.object({
  apiKeyId: z.optional(cuid),
  /** The route template ("/api/v1/geo/lookup/{id}"). */
  route: z.optional(text(200)),
  status: z.optional(z.enum(["2xx", "3xx", "4xx", "5xx"])),
  from: z.optional(z.coerce.date()),
  to: z.optional(z.coerce.date()),
  /** The last page's cursor (an event id: a UUID). */
  cursor: z.optional(
    text(
      36,
      z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Not a cursor"),
    ),
  ),
  limit: z._default(z.int().check(z.minimum(1), z.maximum(500)), 50),
});

export const operatorAnalyticsInput = z.object({
  months: z._default(z.int().check(z.minimum(1), z.maximum(24)), 12),
});
