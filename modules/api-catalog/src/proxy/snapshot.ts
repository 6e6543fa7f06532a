// The catalog as the gateway holds it in memory: products by slug, each endpoint's path
// compiled to a matcher, private products' allowed organizations, upstream secrets opened.
// Loaded whole (the catalog is small: operator-made), swapped atomically on each change.
import type { PrismaClient } from "@plinth/db";
import type { SecretValue } from "@plinth/vault";
import { openSecret } from "../secret.ts";

export const API_UNITS_METER = "api.units";

export interface CatalogEndpoint {
  id: string;
  method: string;
  /** "/api/v1/<slug>/lookup/{id}": the metered route and the OpenAPI path. */
  route: string;
  path: string;
  upstreamPath: string;
  summary: string;
  description: string;
  params: readonly string[];
  pattern: RegExp;
  rateLimitPerMinute: number | null;
  pricePerCallMicroCents: number;
  pricePerUnitMicroCents: number;
  unitsRule: "PER_CALL" | "HEADER";
  unitsHeader: string | null;
  deprecated: boolean;
}

export interface CatalogProductEntry {
  id: string;
  slug: string;
  name: string;
  description: string;
  origin: string;
  /** The base URL's path without its trailing slash ("" or "/v2"). */
  basePath: string;
  authHeader: string;
  secret: SecretValue | null;
  visibility: "PUBLIC" | "PRIVATE";
  allowed: ReadonlySet<string>;
  status: "ACTIVE" | "DEPRECATED";
  sunsetAt: Date | null;
  endpoints: readonly CatalogEndpoint[];
}

export interface CatalogSnapshot {
  products: ReadonlyMap<string, CatalogProductEntry>;
  loadedAt: Date;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function compilePath(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return escape(segment);
      params.push(param[1]);
      return "([^/]+)";
    })
    .join("/");
  return { pattern: new RegExp(`^${source}$`), params };
}

export async function loadSnapshot(
  db: PrismaClient,
  apiPrefix: string,
  onSecretError: (productId: string, error: unknown) => void,
): Promise<CatalogSnapshot> {
  const rows = await db.apiProduct.findMany({
    where: { status: { not: "ARCHIVED" } },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      upstreamBaseUrl: true,
      upstreamAuthHeader: true,
      secretKeyVersion: true,
      secretNonce: true,
      secretCiphertext: true,
      secretAuthTag: true,
      visibility: true,
      status: true,
      sunsetAt: true,
      access: { select: { organizationId: true } },
      endpoints: {
        where: { status: { not: "ARCHIVED" } },
        select: {
          id: true,
          method: true,
          path: true,
          upstreamPath: true,
          summary: true,
          description: true,
          rateLimitPerMinute: true,
          pricePerCallMicroCents: true,
          pricePerUnitMicroCents: true,
          unitsRule: true,
          unitsHeader: true,
          status: true,
        },
      },
    },
  });
  const products = new Map<string, CatalogProductEntry>();
  for (const row of rows) {
    let secret: SecretValue | null = null;
    try {
      secret = openSecret(row.id, row);
    } catch (error) {
      // A product whose secret cannot be opened is not served (it would call without it).
      onSecretError(row.id, error);
      continue;
    }
    const base = new URL(row.upstreamBaseUrl);
    const endpoints = row.endpoints
      .map((endpoint): CatalogEndpoint => {
        const { pattern, params } = compilePath(endpoint.path);
        return {
          id: endpoint.id,
          method: endpoint.method,
          route: `${apiPrefix}/${row.slug}${endpoint.path}`,
          path: endpoint.path,
          upstreamPath: endpoint.upstreamPath,
          summary: endpoint.summary,
          description: endpoint.description,
          params,
          pattern,
          rateLimitPerMinute: endpoint.rateLimitPerMinute,
          pricePerCallMicroCents: Number(endpoint.pricePerCallMicroCents),
          pricePerUnitMicroCents: Number(endpoint.pricePerUnitMicroCents),
          unitsRule: endpoint.unitsRule,
          unitsHeader: endpoint.unitsHeader,
          deprecated: endpoint.status === "DEPRECATED" || row.status === "DEPRECATED",
        };
      })
      // Literal segments before parameters: /items/new wins over /items/{id}.
      .sort((a, b) => a.params.length - b.params.length || b.path.length - a.path.length);
    products.set(row.slug, {
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      origin: base.origin,
      basePath: base.pathname.replace(/\/+$/, ""),
      authHeader: row.upstreamAuthHeader,
      secret,
      visibility: row.visibility,
      allowed: new Set(row.access.map((grant) => grant.organizationId)),
      status: row.status === "DEPRECATED" ? "DEPRECATED" : "ACTIVE",
      sunsetAt: row.sunsetAt,
      endpoints,
    });
  }
  return { products, loadedAt: new Date() };
}

/** Whether `organizationId` may see and call the product now. */
export function visibleTo(
  product: CatalogProductEntry,
  organizationId: string | null,
  now: Date,
): boolean {
  if (product.status === "DEPRECATED" && product.sunsetAt && product.sunsetAt <= now) return false;
  if (product.visibility === "PUBLIC") return true;
  return organizationId !== null && product.allowed.has(organizationId);
}
