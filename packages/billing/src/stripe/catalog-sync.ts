// Mirrors the plan catalog into Stripe: one product per purchasable plan (id plinth_<plan>),
// one billing meter per meter key, and prices addressed by lookup key. Idempotent: a second
// run with an unchanged catalog changes nothing. Prices are immutable in Stripe, so a changed
// amount creates a new price that takes over the lookup key and the old one is archived, as
// are prices whose lookup key left the catalog.
import Stripe from "stripe";
import type { Catalog, Plan } from "../catalog.ts";
import { desiredPrices, meterEventName, productId, type DesiredPrice } from "./prices.ts";

export interface CatalogSyncResult {
  created: string[];
  updated: string[];
  archived: string[];
  unchanged: number;
}

export interface CatalogSyncOptions {
  /** Only these plans (default: every plan of the catalog). */
  plans?: readonly Plan[];
  log?: (line: string) => void;
}

function isMissing(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && "statusCode" in error && error.statusCode === 404
  );
}

export async function syncCatalog(
  stripe: Stripe,
  catalog: Catalog,
  options: CatalogSyncOptions = {},
): Promise<CatalogSyncResult> {
  const plans = options.plans ?? catalog.plans;
  const log = options.log ?? (() => {});
  const result: CatalogSyncResult = { created: [], updated: [], archived: [], unchanged: 0 };
  const note = (list: string[], what: string) => {
    list.push(what);
    log(
      `${list === result.created ? "created" : list === result.updated ? "updated" : "archived"} ${what}`,
    );
  };

  // Meters: Stripe has no lookup by event name, so list them once.
  const meters = new Map<string, Stripe.Billing.Meter>();
  for await (const meter of stripe.billing.meters.list({ limit: 100 }))
    meters.set(meter.event_name, meter);
  const meterIds = new Map<string, string>();
  for (const key of catalog.meterKeys) {
    const eventName = meterEventName(key);
    let meter = meters.get(eventName);
    if (!meter) {
      meter = await stripe.billing.meters.create(
        {
          display_name: `Plinth ${key}`,
          event_name: eventName,
          default_aggregation: { formula: "sum" },
          customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
          value_settings: { event_payload_key: "value" },
        },
        { idempotencyKey: `plinth-meter-${eventName}` },
      );
      note(result.created, `meter ${eventName}`);
    } else if (meter.status !== "active") {
      meter = await stripe.billing.meters.reactivate(meter.id);
      note(result.updated, `meter ${eventName} (reactivated)`);
    } else {
      result.unchanged++;
    }
    meterIds.set(key, meter.id);
  }

  const wanted = desiredPrices(plans);
  for (const plan of plans.filter((p) => p.purchasable)) {
    const id = productId(plan.key);
    const metadata = { plinth_plan: plan.key };
    let product: Stripe.Product | undefined;
    try {
      product = await stripe.products.retrieve(id);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (!product) {
      await stripe.products.create({
        id,
        name: plan.name,
        description: plan.description,
        metadata,
      });
      note(result.created, `product ${id}`);
    } else if (
      !product.active ||
      product.name !== plan.name ||
      product.description !== plan.description ||
      product.metadata.plinth_plan !== plan.key
    ) {
      await stripe.products.update(id, {
        active: true,
        name: plan.name,
        description: plan.description,
        metadata,
      });
      note(result.updated, `product ${id}`);
    } else {
      result.unchanged++;
    }

    const existing: Stripe.Price[] = [];
    for await (const price of stripe.prices.list({ product: id, active: true, limit: 100 }))
      existing.push(price);
    const keep = new Set<string>();
    for (const desired of wanted.filter((price) => price.plan === plan.key)) {
      const match = existing.find((price) => price.lookup_key === desired.lookupKey);
      if (match && priceMatches(match, desired, meterIds)) {
        keep.add(match.id);
        result.unchanged++;
        continue;
      }
      const meter = desired.meter ? meterIds.get(desired.meter) : undefined;
      const created = await stripe.prices.create({
        product: id,
        currency: "usd",
        lookup_key: desired.lookupKey,
        transfer_lookup_key: true,
        metadata: {
          plinth_plan: plan.key,
          plinth_interval: desired.interval,
          ...(desired.meter ? { plinth_meter: desired.meter } : {}),
        },
        ...(desired.kind === "flat"
          ? {
              unit_amount: desired.unitAmount ?? 0,
              recurring: { interval: desired.interval, usage_type: "licensed" },
            }
          : {
              unit_amount_decimal: Stripe.Decimal.from(desired.unitAmountDecimal ?? "0"),
              recurring: {
                interval: desired.interval,
                usage_type: "metered",
                ...(meter ? { meter } : {}),
              },
            }),
      });
      keep.add(created.id);
      note(result.created, `price ${desired.lookupKey}`);
    }
    for (const price of existing.filter((p) => !keep.has(p.id))) {
      await stripe.prices.update(price.id, { active: false });
      note(result.archived, `price ${price.lookup_key ?? price.id}`);
    }
  }

  // Products of plans that left the catalog (or stopped being purchasable).
  const purchasable = new Set(plans.filter((p) => p.purchasable).map((p) => productId(p.key)));
  for await (const product of stripe.products.list({ active: true, limit: 100 })) {
    if (product.metadata.plinth_plan === undefined || purchasable.has(product.id)) continue;
    for await (const price of stripe.prices.list({
      product: product.id,
      active: true,
      limit: 100,
    })) {
      await stripe.prices.update(price.id, { active: false });
      note(result.archived, `price ${price.lookup_key ?? price.id}`);
    }
    await stripe.products.update(product.id, { active: false });
    note(result.archived, `product ${product.id}`);
  }
  return result;
}

function priceMatches(
  price: Stripe.Price,
  desired: DesiredPrice,
  meterIds: Map<string, string>,
): boolean {
  if (price.currency !== "usd" || price.recurring?.interval !== desired.interval) return false;
  if (desired.kind === "flat") {
    return price.recurring.usage_type === "licensed" && price.unit_amount === desired.unitAmount;
  }
  const meter = desired.meter ? meterIds.get(desired.meter) : undefined;
  return (
    price.recurring.usage_type === "metered" &&
    price.recurring.meter === (meter ?? null) &&
    Number(String(price.unit_amount_decimal)) === Number(desired.unitAmountDecimal)
  );
}
