// The API catalog module: the operator sells upstream APIs through the gateway. Operator-owned
// catalog (API products, endpoints, private grants: prisma/schema/api-catalog.prisma), the
// gateway extension that proxies /api/v1/<product>/… (./proxy), the buyers' catalog and usage
// analytics (./buyer.ts), the operator's analytics (./analytics.ts). Calls are metered on
// `api.units` (1 per call, or the upstream's units header) at the endpoint's price.
// docs/products/api-marketplace.md.
import { defineModule } from "@plinth/platform";
import { seedDemoCatalog } from "./demo.ts";
import { apiUsageLines } from "./invoice-lines.ts";

export const apiCatalogModule = defineModule({
  key: "api-catalog",
  name: "API catalog",
  description: "Sell upstream APIs through the gateway: catalog, proxy, documentation, analytics.",
  meters: {
    "api.units": { description: "API catalog units (calls or tokens)", unit: "unit" },
  },
  apiScopes: {
    "apis:call": "Call the API catalog's endpoints",
  },
  nav: [{ segment: "apis", label: "APIs", icon: "plug", order: 20 }],
  tenantModels: ["ApiProductAccess"],
  // Plans with `billedAtEventCost` on api.units invoice each endpoint's cost (its prices).
  usageLines: apiUsageLines,
  demo: async (tx, { organizationId, names }) => {
    await seedDemoCatalog(tx, organizationId, names);
  },
  gdpr: {
    exportOrganization: async (tx, organizationId) => ({
      apiProductAccess: await tx.apiProductAccess.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true, product: { select: { slug: true, name: true } } },
      }),
    }),
    deleteOrganization: async (tx, organizationId) => {
      await tx.apiProductAccess.deleteMany({ where: { organizationId } });
    },
  },
});

export default apiCatalogModule;
