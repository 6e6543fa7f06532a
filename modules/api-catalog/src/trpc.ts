// The API catalog's tRPC adapter: the operator's catalog and analytics (platform admins), and
// the buyer's catalog and usage (members of the organization).
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  orgProcedure,
  platformAdminProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import * as analytics from "./analytics.ts";
import * as buyer from "./buyer.ts";
import * as catalog from "./catalog.ts";
import {
  createEndpointInput,
  createProductInput,
  endpointInput,
  operatorAnalyticsInput,
  productAccessInput,
  productInput,
  setProductStatusInput,
  updateEndpointInput,
  updateProductInput,
  usageLogInput,
  usageRangeInput,
  usageSeriesInput,
} from "./contract.ts";

/** The operator console's catalog management (every change audited). */
export const apiCatalogRouter = createTRPCRouter({
  list: platformAdminProcedure.query(({ ctx }) => catalog.listCatalog(ctx.scope)),
  get: platformAdminProcedure
    .input(productInput)
    .query(({ ctx, input }) => catalog.getProduct(ctx.scope, input)),
  createProduct: platformAdminProcedure
    .input(createProductInput)
    .mutation(({ ctx, input }) => catalog.createProduct(ctx.scope, input)),
  updateProduct: platformAdminProcedure
    .input(updateProductInput)
    .mutation(({ ctx, input }) => catalog.updateProduct(ctx.scope, input)),
  setProductStatus: platformAdminProcedure
    .input(setProductStatusInput)
    .mutation(({ ctx, input }) => catalog.setProductStatus(ctx.scope, input)),
  deleteProduct: platformAdminProcedure
    .input(productInput)
    .mutation(({ ctx, input }) => catalog.deleteProduct(ctx.scope, input)),
  grantAccess: platformAdminProcedure
    .input(productAccessInput)
    .mutation(({ ctx, input }) => catalog.grantAccess(ctx.scope, input)),
  revokeAccess: platformAdminProcedure
    .input(productAccessInput)
    .mutation(({ ctx, input }) => catalog.revokeAccess(ctx.scope, input)),
  createEndpoint: platformAdminProcedure
    .input(createEndpointInput)
    .mutation(({ ctx, input }) => catalog.createEndpoint(ctx.scope, input)),
  updateEndpoint: platformAdminProcedure
    .input(updateEndpointInput)
    .mutation(({ ctx, input }) => catalog.updateEndpoint(ctx.scope, input)),
  deleteEndpoint: platformAdminProcedure
    .input(endpointInput)
    .mutation(({ ctx, input }) => catalog.deleteEndpoint(ctx.scope, input)),
  analytics: platformAdminProcedure
    .input(operatorAnalyticsInput)
    .query(({ ctx, input }) => analytics.marketplaceAnalytics(ctx.scope, input)),
  revenueCsv: platformAdminProcedure
    .input(operatorAnalyticsInput)
    .query(({ ctx, input }) => analytics.revenueReportCsv(ctx.scope, input)),
});

/** A buyer organization's catalog and usage. */
export const apisRouter = createTRPCRouter({
  catalog: orgProcedure.query(({ ctx }) => buyer.buyerCatalog(ctx.scope)),
  usageSummary: orgProcedure.query(({ ctx }) => buyer.usageSummary(ctx.scope)),
  usageByEndpoint: orgProcedure
    .input(usageRangeInput)
    .query(({ ctx, input }) => buyer.usageByEndpoint(ctx.scope, input)),
  usageSeries: orgProcedure
    .input(usageSeriesInput)
    .query(({ ctx, input }) => buyer.usageSeries(ctx.scope, input)),
  usageLog: orgProcedure
    .input(usageLogInput)
    .query(({ ctx, input }) => buyer.usageLog(ctx.scope, input)),
  usageCsv: orgProcedure
    .input(usageLogInput)
    .query(({ ctx, input }) => buyer.usageLogCsv(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = { apiCatalog: apiCatalogRouter, apis: apisRouter };

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type ApiCatalogApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type ApiCatalogCaller = CallerOf<ApiCatalogApi>;
export type ApiCatalogInputs = inferRouterInputs<ApiCatalogApi>;
export type ApiCatalogOutputs = inferRouterOutputs<ApiCatalogApi>;
