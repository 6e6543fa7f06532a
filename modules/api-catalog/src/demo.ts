// The demo catalog (`npm run dev`, the seed): three API products served by the loopback demo
// upstream (./demo-upstream.ts, started by scripts/dev.ts on DEMO_UPSTREAM_PORT, default 3004) —
// geocoding priced per call, text completion priced per token from the upstream's
// X-Usage-Units header, and a private FX-rates API granted to the organizations that name it.
import type { TransactionClient } from "@plinth/db";
import { parseApiCatalogEnv } from "./env.ts";
import { sealSecret } from "./secret.ts";

export const DEMO_UPSTREAM_SECRET = "demo-upstream-secret-0001";

interface DemoEndpoint {
  method: string;
  path: string;
  upstreamPath: string;
  summary: string;
  rateLimitPerMinute?: number;
  pricePerCallMicroCents?: number;
  pricePerUnitMicroCents?: number;
  unitsHeader?: string;
}

const DEMO_PRODUCTS: {
  slug: string;
  name: string;
  description: string;
  visibility: "PUBLIC" | "PRIVATE";
  endpoints: DemoEndpoint[];
}[] = [
  {
    slug: "geo",
    name: "Geocoding",
    description: "Addresses to coordinates and back.",
    visibility: "PUBLIC",
    endpoints: [
      {
        method: "GET",
        path: "/lookup/{query}",
        upstreamPath: "/geocode/{query}",
        summary: "Coordinates of a place",
        rateLimitPerMinute: 120,
        pricePerCallMicroCents: 200_000, // $0.002 per call
      },
      {
        method: "GET",
        path: "/reverse/{lat}/{lon}",
        upstreamPath: "/reverse/{lat}/{lon}",
        summary: "The place at coordinates",
        pricePerCallMicroCents: 300_000,
      },
    ],
  },
  {
    slug: "llm",
    name: "Text completion",
    description: "Completes a prompt; priced per token.",
    visibility: "PUBLIC",
    endpoints: [
      {
        method: "POST",
        path: "/complete",
        upstreamPath: "/v1/complete",
        summary: "Complete a prompt (units: tokens)",
        pricePerUnitMicroCents: 2_000, // $0.00002 per token
        unitsHeader: "x-usage-units",
      },
    ],
  },
  {
    slug: "fx",
    name: "FX rates",
    description: "Exchange rates for partner organizations only.",
    visibility: "PRIVATE",
    endpoints: [
      {
        method: "GET",
        path: "/rates/{base}",
        upstreamPath: "/rates/{base}",
        summary: "Today's rates from a base currency",
        pricePerCallMicroCents: 100_000,
      },
    ],
  },
];

function demoSecret(productId: string) {
  try {
    return sealSecret(productId, DEMO_UPSTREAM_SECRET);
  } catch {
    return {}; // no ENCRYPTION_KEYS in this process: the demo upstream accepts no secret
  }
}

/** Upserts the demo catalog (idempotent) and grants the named private products to the org. */
export async function seedDemoCatalog(
  tx: TransactionClient,
  organizationId: string,
  names: readonly string[],
  upstreamBaseUrl = `http://127.0.0.1:${parseApiCatalogEnv().DEMO_UPSTREAM_PORT}`,
) {
  for (const demo of DEMO_PRODUCTS) {
    const product = await tx.apiProduct.upsert({
      where: { slug: demo.slug },
      create: {
        slug: demo.slug,
        name: demo.name,
        description: demo.description,
        visibility: demo.visibility,
        upstreamBaseUrl,
      },
      update: {},
      select: { id: true, secretKeyVersion: true },
    });
    if (product.secretKeyVersion === null) {
      await tx.apiProduct.update({ where: { id: product.id }, data: demoSecret(product.id) });
    }
    for (const endpoint of demo.endpoints) {
      await tx.apiEndpoint.upsert({
        where: {
          productId_method_path: {
            productId: product.id,
            method: endpoint.method,
            path: endpoint.path,
          },
        },
        create: {
          productId: product.id,
          method: endpoint.method,
          path: endpoint.path,
          upstreamPath: endpoint.upstreamPath,
          summary: endpoint.summary,
          rateLimitPerMinute: endpoint.rateLimitPerMinute ?? null,
          pricePerCallMicroCents: BigInt(endpoint.pricePerCallMicroCents ?? 0),
          pricePerUnitMicroCents: BigInt(endpoint.pricePerUnitMicroCents ?? 0),
          unitsRule: endpoint.unitsHeader ? "HEADER" : "PER_CALL",
          unitsHeader: endpoint.unitsHeader ?? null,
        },
        update: {},
        select: { id: true },
      });
    }
    if (demo.visibility === "PRIVATE" && names.includes(demo.slug)) {
      await tx.apiProductAccess.upsert({
        where: { productId_organizationId: { productId: product.id, organizationId } },
        create: { productId: product.id, organizationId },
        update: {},
        select: { productId: true },
      });
    }
  }
}
