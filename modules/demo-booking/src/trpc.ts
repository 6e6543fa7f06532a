// The demo-booking module's tRPC adapter: the /demo form's public request (rate limited per
// IP in the service) and the operator console's list.
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  platformAdminProcedure,
  publicProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import { listDemoBookingsInput, requestDemoInput } from "./contract.ts";
import * as demoBookings from "./service.ts";

export const demoBookingRouter = createTRPCRouter({
  /** Signed out: anyone may ask for a demo (5 an hour per client IP). */
  request: publicProcedure
    .input(requestDemoInput)
    .mutation(({ ctx, input }) => demoBookings.requestDemo(ctx.scope, input)),

  /** The operator console (platform admins): every booking, newest first. */
  list: platformAdminProcedure
    .input(listDemoBookingsInput)
    .query(({ ctx, input }) => demoBookings.listDemoBookings(ctx.scope, input)),
});

/** The module's namespaces in the product's router. */
export const routers = { demoBooking: demoBookingRouter };

export type DemoBookingApi = ModuleApi<typeof routers>;
export type DemoBookingCaller = CallerOf<DemoBookingApi>;
export type DemoBookingOutputs = inferRouterOutputs<DemoBookingApi>;
