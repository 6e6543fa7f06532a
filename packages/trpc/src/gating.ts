// Plan gating declared on procedures: each middleware is one call of @plinth/billing's gating
// functions (the gateway and jobs call the same ones). Keys are typed by the module whose
// procedures use them, together with core's:
//   const { feature, limit, quota } = gatingFor(teamsModule);
//   orgAdminProcedure.use(feature("team.invite")).use(limit("seats"))
// A refusal is an AppError naming what was refused and the cheapest plan that lifts it.
import { consumeQuota, holdLimit, requireFeature } from "@plinth/billing";
import {
  type AnyModule,
  type CoreModule,
  type FeatureKeyOf,
  type LimitKeyOf,
  type MeterKeyOf,
  type OrgScope,
  type RequestScope,
} from "@plinth/platform";
import { requireVerifiedEmail } from "@plinth/platform/verified-email";
import { middleware } from "./trpc.ts";

/** Gating runs after orgProcedure; reaching it without an organization is a wiring bug. */
function orgScopeOf(scope: RequestScope): OrgScope {
  if (!("organization" in scope)) throw new Error("plan gating must be used on an orgProcedure");
  return scope as OrgScope;
}

/** Thrown inside the limit's transaction so a failed handler rolls back; unwrapped below. */
class HandlerFailed extends Error {
  constructor(readonly result: unknown) {
    super("handler failed");
  }
}

/** Gating middlewares for the keys `module` and core declare. */
export function gatingFor<M extends AnyModule>(_module: M) {
  type Feature = FeatureKeyOf<M | CoreModule>;
  type Limit = LimitKeyOf<M | CoreModule>;
  type Meter = MeterKeyOf<M | CoreModule>;
  return {
    /** Refuses with FEATURE_NOT_IN_PLAN unless the plan has `key`. */
    feature: (key: Feature) =>
      middleware(({ ctx, next }) => {
        requireFeature(orgScopeOf(ctx.scope), key);
        return next();
      }),
    /**
     * Refuses with PLAN_LIMIT_REACHED when adding `adding` more would exceed the plan. The
     * count and the handler's writes share one transaction holding the limit's advisory
     * lock: handlers write through `scope.db.transaction`, which joins it.
     */
    limit: (key: Limit, adding = 1) =>
      middleware(async ({ ctx, next }) => {
        try {
          return await holdLimit(orgScopeOf(ctx.scope), key, adding, async () => {
            const result = await next();
            if (!result.ok) throw new HandlerFailed(result);
            return result;
          });
        } catch (error) {
          if (error instanceof HandlerFailed)
            return error.result as Awaited<ReturnType<typeof next>>;
          throw error;
        }
      }),
    /** Counts `units` against the period's quota before the handler runs (QUOTA_EXCEEDED). */
    quota: (key: Meter, units: number) =>
      middleware(async ({ ctx, next }) => {
        await consumeQuota(orgScopeOf(ctx.scope), key, units);
        return next();
      }),
  };
}

/** What reaches other people or money needs a verified address (docs/identity.md). */
export const verifiedEmail = middleware(async ({ ctx, next }) => {
  await requireVerifiedEmail(ctx.scope);
  return next();
});
