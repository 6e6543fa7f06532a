// The catalog's endpoints as OpenAPI 3.1 path items, merged by the gateway into
// /api/v1/openapi.json. Only what anyone may see: public products (private ones are
// invisible to the document, as to the organizations not granted them). Each operation says
// its price, rate limit and units rule; the answer is the upstream's (any JSON), refusals are
// problem+json (components.schemas.Problem, added by the gateway).
import type { CatalogSnapshot } from "./proxy/snapshot.ts";
import { visibleTo } from "./proxy/snapshot.ts";

/** Micro-cents as dollars: 2_000_000 → "$0.02". */
export function formatMicroCents(value: number): string {
  const [whole, fraction = ""] = (value / 100_000_000).toFixed(8).replace(/0+$/, "").split(".");
  return `$${whole}.${fraction.padEnd(2, "0")}`;
}

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

export function catalogOpenApiPaths(
  snapshot: CatalogSnapshot,
  now: Date,
): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const product of snapshot.products.values()) {
    if (product.visibility !== "PUBLIC" || !visibleTo(product, null, now)) continue;
    for (const endpoint of product.endpoints) {
      const item = (paths[endpoint.route] ??= {});
      const price = [
        endpoint.pricePerCallMicroCents > 0
          ? `${formatMicroCents(endpoint.pricePerCallMicroCents)} per call`
          : null,
        endpoint.pricePerUnitMicroCents > 0
          ? `${formatMicroCents(endpoint.pricePerUnitMicroCents)} per unit`
          : null,
      ].filter(Boolean);
      const units =
        endpoint.unitsRule === "HEADER"
          ? `Units: the answer's \`${endpoint.unitsHeader ?? ""}\` header.`
          : "Units: 1 per call.";
      const withBody = ["POST", "PUT", "PATCH"].includes(endpoint.method);
      item[endpoint.method.toLowerCase()] = {
        operationId: `${product.slug}_${endpoint.method.toLowerCase()}_${endpoint.path
          .replace(/[{}]/g, "")
          .replace(/[^A-Za-z0-9]+/g, "_")
          .replace(/^_|_$/g, "")}`,
        summary: endpoint.summary,
        description: [
          endpoint.description || product.description,
          `Price: ${price.length ? price.join(" + ") : "free"}. ${units}`,
          endpoint.rateLimitPerMinute
            ? `Rate limit: ${endpoint.rateLimitPerMinute}/min per key.`
            : "",
          "Needs an API key with the `apis:call` scope.",
        ]
          .filter(Boolean)
          .join("\n\n"),
        tags: [product.name],
        ...(endpoint.deprecated ? { deprecated: true } : {}),
        security: [{ apiKey: [] }],
        ...(endpoint.params.length
          ? {
              parameters: endpoint.params.map((name) => ({
                name,
                in: "path",
                required: true,
                schema: { type: "string" },
              })),
            }
          : {}),
        ...(withBody
          ? { requestBody: { required: false, content: { "application/json": { schema: {} } } } }
          : {}),
        responses: {
          "200": {
            description: "The upstream's answer",
            content: { "application/json": { schema: {} } },
          },
          "401": problem("No valid API key"),
          "403": problem("The key lacks the apis:call scope"),
          "404": problem("Not an endpoint this organization may call"),
          "429": problem("Rate limit or quota reached"),
          "502": problem("The upstream failed"),
          "503": problem("The upstream is unavailable (circuit open)"),
          "504": problem("The upstream did not answer in time"),
        },
      };
    }
  }
  return paths;
}
