// The root router: core's routers merged with the enabled modules' routers. The composition
// root (@plinth/product/trpc) calls createAppRouter with every module's router; a disabled
// module's namespaces are left out at run time (their procedures answer NOT_FOUND), while the
// router's type keeps them (clients are typed for the whole product).
import type { AnyRouter } from "@trpc/server";
import type { ProductRuntime } from "@plinth/platform";
import { accountRouter } from "./routers/account/router.ts";
import { apiKeyRouter } from "./routers/api-keys/router.ts";
import { auditRouter } from "./routers/audit/router.ts";
import { createBillingRouter } from "./routers/billing/router.ts";
import { operatorRouter } from "./routers/operator/router.ts";
import { organizationRouter } from "./routers/organizations/router.ts";
import { runRouter } from "./routers/runs/router.ts";
import { webhookRouter } from "./routers/webhooks/router.ts";
import { createTRPCRouter } from "./trpc.ts";

/** A module's tRPC adapter: its namespaces (`{ project: projectRouter }`). */
export type ModuleRouters = Record<string, AnyRouter>;

function coreRouters(product: ProductRuntime) {
  return {
    organization: organizationRouter,
    audit: auditRouter,
    account: accountRouter,
    apiKey: apiKeyRouter,
    run: runRouter,
    webhook: webhookRouter,
    operator: operatorRouter,
    billing: createBillingRouter(product),
  };
}

/**
 * The router a module's pages are typed by: core's routers and the module's own namespaces
 * (a slice of the product's router, which holds both; its client and caller fit either).
 */
export type ModuleApi<R extends ModuleRouters> = ReturnType<
  typeof createTRPCRouter<ReturnType<typeof coreRouters> & R>
>;

type UnionToIntersection<U> = (U extends unknown ? (value: U) => void : never) extends (
  value: infer I,
) => void
  ? I
  : never;

/** Every namespace of every module in `routers`, as one record type. */
export type ModuleNamespaces<R extends Record<string, ModuleRouters>> = UnionToIntersection<
  R[keyof R]
>;

export function createAppRouter<const R extends Record<string, ModuleRouters>>(
  product: ProductRuntime,
  routers: R,
) {
  const core = coreRouters(product);
  const record: Record<string, AnyRouter> = { ...core };
  for (const [moduleKey, namespaces] of Object.entries(routers)) {
    if (!product.isEnabled(moduleKey)) continue;
    for (const [namespace, router] of Object.entries(namespaces)) {
      if (namespace in record) {
        throw new Error(`Router namespace "${namespace}" of ${moduleKey} is already taken`);
      }
      record[namespace] = router;
    }
  }
  return createTRPCRouter(record as ReturnType<typeof coreRouters> & ModuleNamespaces<R>);
}
