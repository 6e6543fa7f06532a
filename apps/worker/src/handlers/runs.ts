// run.execute: the run engine (@plinth/jobs) with every run kind of the product. The engine
// asks for plan limits (a run kind's concurrencyLimit) through resolveLimit: the
// organization's entitlements as the product's catalog resolves them now.
import { resolveEntitlements } from "@plinth/billing";
import { executeRun, type jobs } from "@plinth/jobs";
import { type HandlerContext, type JobHandler } from "./types.ts";

async function resolveLimit(ctx: HandlerContext, organizationId: string, limit: string) {
  const org = await ctx.prisma.organization.findUnique({
    where: { id: organizationId },
    select: { trialEndsAt: true, createdAt: true, subscription: true },
  });
  if (!org) return 0;
  const entitlements = resolveEntitlements(ctx.product.catalog, {
    organization: org,
    subscription: org.subscription,
    now: new Date(),
    pastDueGraceDays: ctx.billing.pastDueGraceDays,
  });
  const value = entitlements.limits[limit];
  if (value === undefined) throw new Error(`limit "${limit}" is not declared by the product`);
  return value;
}

export const executeRunHandler: JobHandler<typeof jobs.runExecute> = (payload, ctx) =>
  executeRun(
    payload,
    {
      prisma: ctx.prisma,
      log: ctx.log,
      signal: ctx.signal,
      appUrl: ctx.appUrl,
      resolveLimit: (organizationId, limit) => resolveLimit(ctx, organizationId, limit),
      ...(ctx.runEngine ?? {}),
    },
    ctx.runKinds,
  );
