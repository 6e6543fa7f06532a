// A small Stripe-compatible HTTP server for tests: the real `stripe` SDK talks to it over
// loopback. State lives in memory; only the endpoints Plinth uses are implemented, and every
// object starts from Stripe's own published example (../../../../shared/stripe/fixtures3.json)
// with the fields that matter overridden. Test helpers (completeCheckout, failPayment, ...)
// mutate state the way Stripe would and record the events Stripe would send; `signed()` turns
// an event into a delivery signed with the SDK's own signer.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { createStripeClient } from "../src/stripe/client.ts";

type Json = Record<string, unknown>;
type Params = Record<string, unknown>;

const FIXTURES_PATH = new URL("../../../../shared/stripe/fixtures3.json", import.meta.url);
const fixtures = (
  JSON.parse(readFileSync(FIXTURES_PATH, "utf8")) as { resources: Record<string, Json> }
).resources;

function fixture(name: string): Json {
  const value = fixtures[name];
  if (!value) throw new Error(`no fixture ${name}`);
  return structuredClone(value);
}

const DAY = 86_400;
const id = (prefix: string) => `${prefix}_${randomBytes(10).toString("hex")}`;

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Parses Stripe's form encoding (`items[0][price]=x`) into nested objects and arrays. */
export function parseForm(body: string): Params {
  const root: Params = {};
  for (const pair of body.split("&")) {
    if (!pair) continue;
    const [rawKey = "", rawValue = ""] = pair.split("=");
    const key = decodeURIComponent(rawKey.replace(/\+/g, " "));
    const value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    const path = key.split(/\[|\]\[|\]/).filter((part, index) => index === 0 || part !== "");
    let node: Params = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Params;
    });
  }
  return arrayify(root) as Params;
}

function arrayify(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Params).map(([k, v]) => [k, arrayify(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const obj = (value: unknown): Params =>
  typeof value === "object" && value !== null ? (value as Params) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const bool = (value: unknown): boolean | undefined =>
  value === "true" ? true : value === "false" ? false : undefined;
const int = (value: unknown): number | undefined =>
  typeof value === "string" && value !== "" ? Number(value) : undefined;

interface SubscriptionItemState {
  id: string;
  price: string;
  quantity?: number;
}

interface SubscriptionState {
  id: string;
  customer: string;
  status: Stripe.Subscription.Status;
  items: SubscriptionItemState[];
  created: number;
  periodStart: number;
  periodEnd: number;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  endedAt: number | null;
  metadata: Record<string, string>;
  latestInvoice: string | null;
}

export interface StripeTestServer {
  url: string;
  port: number;
  secretKey: string;
  webhookSecret: string;
  /** A real SDK client pointed at this server. */
  client(): Stripe;
  /** Every event "Stripe" would have sent, in order. */
  events: Stripe.Event[];
  /** Request counts by "METHOD /path-pattern". */
  calls: Map<string, number>;
  customers: Map<string, Json>;
  prices: Map<string, Json>;
  products: Map<string, Json>;
  meters: Map<string, Json>;
  meterEvents: Map<string, Json>;
  invoices: Map<string, Json>;
  subscriptions: Map<string, SubscriptionState>;
  checkoutSessions: Map<string, Json>;
  paymentMethods: Map<string, Json>;
  /** Attaches a card to the customer and makes it the default for invoices. */
  attachCard(customer: string, card?: { brand?: string; last4?: string }): string;
  /** Current time in unix seconds (default: wall clock); tests may move it. */
  clock: { now: number | null };
  /** Fail the next N meter event requests with a 500 after recording them. */
  faults: { meterEventsAcceptedThenFail: number };
  subscriptionObject(subscriptionId: string): Json;
  completeCheckout(sessionId: string): { subscriptionId: string; events: Stripe.Event[] };
  createSubscription(
    customer: string,
    lookupKeys: string[],
    options?: { trialDays?: number; metadata?: Record<string, string> },
  ): { subscriptionId: string; events: Stripe.Event[] };
  endTrial(subscriptionId: string): Stripe.Event[];
  failPayment(subscriptionId: string): Stripe.Event[];
  recoverPayment(subscriptionId: string): Stripe.Event[];
  /** Changes a subscription behind Plinth's back without sending any event (drift). */
  mutateSilently(subscriptionId: string, change: Partial<SubscriptionState>): void;
  emit(type: string, object: Json, previous?: Json): Stripe.Event;
  signed(
    event: Stripe.Event,
    options?: { secret?: string; timestamp?: number },
  ): { rawBody: string; signature: string };
  meterEventTotal(eventName: string, customer: string): number;
  close(): Promise<void>;
}

export async function startStripeTestServer(): Promise<StripeTestServer> {
  const secretKey = `sk_test_${randomBytes(12).toString("hex")}`;
  const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
  const customers = new Map<string, Json>();
  const prices = new Map<string, Json>();
  const products = new Map<string, Json>();
  const meters = new Map<string, Json>();
  const meterEvents = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  const subscriptions = new Map<string, SubscriptionState>();
  const checkoutSessions = new Map<string, Json>();
  const paymentMethods = new Map<string, Json>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const events: Stripe.Event[] = [];
  const calls = new Map<string, number>();
  const clock = { now: null as number | null };
  const faults = { meterEventsAcceptedThenFail: 0 };
  let lastEventCreated = 0;
  const now = () => clock.now ?? Math.floor(Date.now() / 1000);

  const list = (data: unknown[], url: string) => ({ object: "list", data, has_more: false, url });
  const need = <T>(map: Map<string, T>, key: string | undefined, what: string): T => {
    const found = key ? map.get(key) : undefined;
    if (!found)
      throw new StripeHttpError(404, `No such ${what}: '${key ?? ""}'`, "resource_missing");
    return found;
  };

  function priceObject(params: Params): Json {
    const recurring = obj(params.recurring);
    const price = fixture("price");
    const unitAmount = int(params.unit_amount);
    const decimal =
      str(params.unit_amount_decimal) ?? (unitAmount !== undefined ? String(unitAmount) : null);
    Object.assign(price, {
      id: id("price"),
      active: true,
      created: now(),
      currency: str(params.currency) ?? "usd",
      product: str(params.product),
      lookup_key: str(params.lookup_key) ?? null,
      metadata: obj(params.metadata),
      unit_amount: unitAmount ?? null,
      unit_amount_decimal: decimal,
      transform_quantity: null,
      recurring: {
        interval: str(recurring.interval) ?? "month",
        interval_count: 1,
        meter: str(recurring.meter) ?? null,
        usage_type: str(recurring.usage_type) ?? "licensed",
        trial_period_days: null,
      },
    });
    return price;
  }

  function itemObject(sub: SubscriptionState, item: SubscriptionItemState): Json {
    const price = need(prices, item.price, "price");
    const recurring = obj(price.recurring);
    const out = fixture("subscription_item");
    Object.assign(out, {
      id: item.id,
      created: sub.created,
      metadata: {},
      price,
      plan: {
        ...obj(out.plan),
        id: price.id,
        product: price.product,
        interval: recurring.interval,
        interval_count: 1,
        usage_type: recurring.usage_type,
        amount: price.unit_amount,
        currency: "usd",
        livemode: false,
      },
      subscription: sub.id,
      current_period_start: sub.periodStart,
      current_period_end: sub.periodEnd,
    });
    if (recurring.usage_type === "metered") delete out.quantity;
    else out.quantity = item.quantity ?? 1;
    return out;
  }

  function subscriptionObject(subscriptionId: string): Json {
    const sub = need(subscriptions, subscriptionId, "subscription");
    const out = fixture("subscription");
    Object.assign(out, {
      id: sub.id,
      customer: sub.customer,
      status: sub.status,
      created: sub.created,
      start_date: sub.created,
      billing_cycle_anchor: sub.periodStart,
      cancel_at_period_end: sub.cancelAtPeriodEnd,
      cancel_at: sub.cancelAtPeriodEnd ? sub.periodEnd : null,
      canceled_at: sub.canceledAt,
      ended_at: sub.endedAt,
      trial_start: sub.trialEnd ? sub.created : null,
      trial_end: sub.trialEnd,
      metadata: sub.metadata,
      latest_invoice: sub.latestInvoice,
      next_pending_invoice_item_invoice: null,
      pause_collection: null,
      pending_update: null,
      schedule: null,
      items: {
        object: "list",
        data: sub.items.map((item) => itemObject(sub, item)),
        has_more: false,
        url: `/v1/subscription_items?subscription=${sub.id}`,
      },
    });
    return out;
  }

  function emit(type: string, object: Json, previous?: Json): Stripe.Event {
    lastEventCreated = Math.max(lastEventCreated + 1, now());
    const event = fixture("event");
    Object.assign(event, {
      id: id("evt"),
      api_version: Stripe.API_VERSION,
      created: lastEventCreated,
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: structuredClone(object),
        ...(previous ? { previous_attributes: previous } : {}),
      },
    });
    const typed = event as unknown as Stripe.Event;
    events.push(typed);
    return typed;
  }

  function invoiceFor(
    sub: SubscriptionState,
    amount: number,
    paid: boolean,
    reason: string,
    lines: Json[] = [],
  ): Json {
    const invoice = fixture("invoice");
    const invoiceId = id("in");
    Object.assign(invoice, {
      id: invoiceId,
      customer: sub.customer,
      created: now(),
      number: `PLN-${invoices.size + 1}`,
      status: paid ? "paid" : "open",
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      subtotal: amount,
      total: amount,
      attempted: true,
      attempt_count: 1,
      billing_reason: reason,
      hosted_invoice_url: `https://invoice.stripe.test/i/${invoiceId}`,
      invoice_pdf: `https://pay.stripe.test/invoice/${invoiceId}/pdf`,
      period_start: sub.periodStart,
      period_end: sub.periodEnd,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { metadata: sub.metadata, subscription: sub.id },
      },
      lines: {
        object: "list",
        data: lines,
        has_more: false,
        url: `/v1/invoices/${invoiceId}/lines`,
      },
    });
    invoices.set(invoiceId, invoice);
    sub.latestInvoice = invoiceId;
    return invoice;
  }

  const flatAmount = (sub: SubscriptionState) =>
    sub.items.reduce((sum, item) => {
      const price = prices.get(item.price);
      return obj(price?.recurring).usage_type === "licensed"
        ? sum + Number(price?.unit_amount ?? 0)
        : sum;
    }, 0);

  function line(
    sub: SubscriptionState,
    amount: number,
    description: string,
    proration: boolean,
    item?: string,
  ): Json {
    const out = fixture("invoice").lines as Json;
    const template = structuredClone(arr(out.data)[0]) as Json;
    Object.assign(template, {
      id: id("il"),
      amount,
      description,
      subtotal: amount,
      period: { start: now(), end: sub.periodEnd },
      parent: {
        type: "subscription_item_details",
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration,
          proration_details: { credited_items: null },
          subscription: sub.id,
          subscription_item: item ?? null,
        },
      },
    });
    return template;
  }

  function newSubscription(
    customer: string,
    priceIds: string[],
    trialDays: number | undefined,
    metadata: Record<string, string>,
  ) {
    need(customers, customer, "customer");
    const interval =
      priceIds.map((p) => str(obj(need(prices, p, "price").recurring).interval)).find(Boolean) ??
      "month";
    const start = now();
    const trialEnd = trialDays ? start + trialDays * DAY : null;
    const sub: SubscriptionState = {
      id: id("sub"),
      customer,
      status: trialEnd ? "trialing" : "active",
      items: priceIds.map((price) => ({ id: id("si"), price })),
      created: start,
      periodStart: start,
      periodEnd: trialEnd ?? start + (interval === "year" ? 365 : 30) * DAY,
      trialEnd,
      cancelAtPeriodEnd: false,
      canceledAt: null,
      endedAt: null,
      metadata,
      latestInvoice: null,
    };
    subscriptions.set(sub.id, sub);
    const invoice = invoiceFor(sub, trialEnd ? 0 : flatAmount(sub), true, "subscription_create");
    return {
      sub,
      events: [
        emit("customer.subscription.created", subscriptionObject(sub.id)),
        emit("invoice.paid", invoice),
      ],
    };
  }

  function updated(sub: SubscriptionState, previous: Json): Stripe.Event {
    return emit("customer.subscription.updated", subscriptionObject(sub.id), previous);
  }

  /** Applies `items` from a subscription update/preview; returns the resulting items and proration lines. */
  function applyItems(sub: SubscriptionState, params: Params, prorationDate: number) {
    const items = sub.items.map((item) => ({ ...item }));
    const prorations: Json[] = [];
    const fraction = Math.max(
      0,
      Math.min(1, (sub.periodEnd - prorationDate) / (sub.periodEnd - sub.periodStart)),
    );
    for (const raw of arr(params.items)) {
      const change = obj(raw);
      const itemId = str(change.id);
      const existing = itemId ? items.find((item) => item.id === itemId) : undefined;
      if (itemId && !existing)
        throw new StripeHttpError(400, `Invalid subscription item ${itemId}`);
      if (existing && bool(change.deleted)) {
        items.splice(items.indexOf(existing), 1);
        continue;
      }
      const priceId = str(change.price);
      if (!priceId) continue;
      const price = need(prices, priceId, "price");
      if (existing) {
        const old = need(prices, existing.price, "price");
        if (obj(old.recurring).usage_type === "licensed") {
          prorations.push(
            line(
              sub,
              -Math.round(Number(old.unit_amount ?? 0) * fraction),
              `Unused time on ${String(old.lookup_key)}`,
              true,
              existing.id,
            ),
          );
        }
        existing.price = priceId;
      } else {
        items.push({ id: id("si"), price: priceId });
      }
      if (obj(price.recurring).usage_type === "licensed") {
        prorations.push(
          line(
            sub,
            Math.round(Number(price.unit_amount ?? 0) * fraction),
            `Remaining time on ${String(price.lookup_key)}`,
            true,
            existing?.id,
          ),
        );
      }
    }
    return { items, prorations };
  }

  function handle(
    method: string,
    path: string,
    params: Params,
    headers: IncomingMessage["headers"],
  ): { status?: number; body: unknown } {
    const segments = path.replace(/^\/v1\//, "").split("/");
    const [a, b, c] = segments;
    const pattern = `${method} /v1/${segments.map((part, i) => (i > 0 && /_/.test(part) && !/^(meter_events|create_preview)$/.test(part) ? ":id" : part)).join("/")}`;
    calls.set(pattern, (calls.get(pattern) ?? 0) + 1);
    const key = `${method} ${path}`;

    if (key === "POST /v1/customers") {
      const customer = fixture("customer");
      Object.assign(customer, {
        id: id("cus"),
        created: now(),
        name: str(params.name) ?? null,
        email: str(params.email) ?? null,
        metadata: obj(params.metadata),
        discount: null,
      });
      customers.set(String(customer.id), customer);
      return { body: customer };
    }
    if (method === "GET" && a === "customers" && b && c === "payment_methods") {
      need(customers, b, "customer");
      return {
        body: list(
          [...paymentMethods.values()].filter((pm) => pm.customer === b),
          `/v1/customers/${b}/payment_methods`,
        ),
      };
    }
    if (method === "GET" && a === "customers" && b) return { body: need(customers, b, "customer") };

    if (a === "billing" && b === "meters") {
      if (method === "GET" && !c) return { body: list([...meters.values()], "/v1/billing/meters") };
      if (method === "POST" && !c) {
        const meter = fixture("billing.meter");
        Object.assign(meter, {
          id: id("mtr"),
          created: now(),
          updated: now(),
          livemode: false,
          display_name: str(params.display_name),
          event_name: str(params.event_name),
          customer_mapping: obj(params.customer_mapping),
          value_settings: obj(params.value_settings),
          default_aggregation: obj(params.default_aggregation),
          status: "active",
        });
        meters.set(String(meter.id), meter);
        return { body: meter };
      }
      if (method === "POST" && c && segments[3] === "reactivate") {
        const meter = need(meters, c, "meter");
        meter.status = "active";
        return { body: meter };
      }
    }
    if (key === "POST /v1/billing/meter_events") {
      const identifier = str(params.identifier) ?? id("mev");
      const existing = meterEvents.get(identifier);
      const payload = obj(params.payload);
      if (!existing) {
        const eventName = str(params.event_name);
        if (![...meters.values()].some((m) => m.event_name === eventName)) {
          throw new StripeHttpError(
            400,
            `No active meter was found for event name ${eventName ?? ""}`,
          );
        }
        need(customers, str(payload.stripe_customer_id), "customer");
        const event = fixture("billing.meter_event");
        Object.assign(event, {
          created: now(),
          event_name: eventName,
          identifier,
          payload,
          timestamp: int(params.timestamp) ?? now(),
        });
        meterEvents.set(identifier, event);
      }
      if (faults.meterEventsAcceptedThenFail > 0) {
        faults.meterEventsAcceptedThenFail--;
        throw new StripeHttpError(500, "Simulated failure after the event was recorded");
      }
      return { body: meterEvents.get(identifier) };
    }

    if (a === "products") {
      if (method === "GET" && b) return { body: need(products, b, "product") };
      if (method === "GET") {
        const active = bool(params.active);
        return {
          body: list(
            [...products.values()].filter((p) => active === undefined || p.active === active),
            "/v1/products",
          ),
        };
      }
      if (method === "POST" && !b) {
        const productId = str(params.id) ?? id("prod");
        if (products.has(productId))
          throw new StripeHttpError(
            400,
            `Product already exists: ${productId}`,
            "resource_already_exists",
          );
        const product = fixture("product");
        Object.assign(product, {
          id: productId,
          active: true,
          created: now(),
          updated: now(),
          name: str(params.name),
          description: str(params.description) ?? null,
          metadata: obj(params.metadata),
          default_price: null,
          package_dimensions: null,
          type: "service",
        });
        products.set(productId, product);
        return { body: product };
      }
      if (method === "POST" && b) {
        const product = need(products, b, "product");
        for (const field of ["name", "description"] as const)
          if (params[field] !== undefined) product[field] = str(params[field]);
        if (params.active !== undefined) product.active = bool(params.active);
        if (params.metadata !== undefined)
          product.metadata = { ...obj(product.metadata), ...obj(params.metadata) };
        product.updated = now();
        return { body: product };
      }
    }

    if (a === "prices") {
      if (method === "GET" && !b) {
        const lookupKeys = arr(params.lookup_keys).map(String);
        const active = bool(params.active);
        const product = str(params.product);
        const data = [...prices.values()].filter(
          (p) =>
            (active === undefined || p.active === active) &&
            (!product || p.product === product) &&
            (lookupKeys.length === 0 || lookupKeys.includes(String(p.lookup_key))),
        );
        return { body: list(data, "/v1/prices") };
      }
      if (method === "POST" && !b) {
        need(products, str(params.product), "product");
        const price = priceObject(params);
        const lookupKey = price.lookup_key;
        const holder = [...prices.values()].find((p) => lookupKey && p.lookup_key === lookupKey);
        if (holder) {
          if (bool(params.transfer_lookup_key)) holder.lookup_key = null;
          else
            throw new StripeHttpError(
              400,
              `A price (${String(holder.id)}) already uses that lookup key.`,
            );
        }
        prices.set(String(price.id), price);
        return { body: price };
      }
      if (method === "POST" && b) {
        const price = need(prices, b, "price");
        if (params.active !== undefined) price.active = bool(params.active);
        if (params.metadata !== undefined)
          price.metadata = { ...obj(price.metadata), ...obj(params.metadata) };
        return { body: price };
      }
    }

    if (key === "POST /v1/checkout/sessions") {
      const customer = str(params.customer);
      need(customers, customer, "customer");
      const lineItems = arr(params.line_items).map(obj);
      for (const item of lineItems) need(prices, str(item.price), "price");
      const session = fixture("checkout.session");
      const sessionId = `cs_test_${randomBytes(16).toString("hex")}`;
      Object.assign(session, {
        id: sessionId,
        mode: str(params.mode),
        customer,
        client_reference_id: str(params.client_reference_id) ?? null,
        success_url: str(params.success_url),
        cancel_url: str(params.cancel_url),
        metadata: obj(params.metadata),
        created: now(),
        expires_at: now() + DAY,
        status: "open",
        payment_status: "unpaid",
        payment_intent: null,
        subscription: null,
        url: `https://checkout.stripe.test/c/pay/${sessionId}`,
        // Kept for completeCheckout; real sessions expose these via line_items / subscription.
        _line_items: lineItems,
        _subscription_data: obj(params.subscription_data),
      });
      checkoutSessions.set(sessionId, session);
      const { _line_items: _l, _subscription_data: _s, ...visible } = session;
      return { body: visible };
    }

    if (key === "POST /v1/billing_portal/sessions") {
      const customer = str(params.customer);
      need(customers, customer, "customer");
      const session = fixture("billing_portal.session");
      Object.assign(session, {
        id: id("bps"),
        customer,
        return_url: str(params.return_url),
        created: now(),
        livemode: false,
        flow: null,
        url: `https://billing.stripe.test/p/session/${randomBytes(8).toString("hex")}`,
      });
      return { body: session };
    }

    if (a === "subscriptions") {
      if (method === "GET" && !b) {
        const customer = str(params.customer);
        const status = str(params.status);
        const data = [...subscriptions.values()]
          .filter(
            (s) =>
              (!customer || s.customer === customer) &&
              (status === "all" || (status ? s.status === status : s.status !== "canceled")),
          )
          .sort((x, y) => y.created - x.created)
          .map((s) => subscriptionObject(s.id));
        return { body: list(data, "/v1/subscriptions") };
      }
      if (method === "GET" && b) return { body: subscriptionObject(b) };
      if (method === "POST" && b) {
        const sub = need(subscriptions, b, "subscription");
        if (sub.status === "canceled")
          throw new StripeHttpError(
            400,
            "A canceled subscription can only update its cancellation_details and metadata.",
          );
        const previous: Json = {};
        if (params.cancel_at_period_end !== undefined) {
          previous.cancel_at_period_end = sub.cancelAtPeriodEnd;
          sub.cancelAtPeriodEnd = bool(params.cancel_at_period_end) ?? false;
          sub.canceledAt = sub.cancelAtPeriodEnd ? now() : null;
        }
        if (params.metadata !== undefined) {
          previous.metadata = sub.metadata;
          sub.metadata = { ...sub.metadata, ...(obj(params.metadata) as Record<string, string>) };
        }
        if (params.items !== undefined) {
          previous.items = subscriptionObject(sub.id).items;
          const { items, prorations } = applyItems(
            sub,
            params,
            int(params.proration_date) ?? now(),
          );
          sub.items = items;
          if (str(params.proration_behavior) === "always_invoice" && prorations.length > 0) {
            const total = prorations.reduce((sum, l) => sum + Number(l.amount), 0);
            const invoice = invoiceFor(
              sub,
              Math.max(0, total),
              true,
              "subscription_update",
              prorations,
            );
            emit("invoice.paid", invoice);
          }
        }
        updated(sub, previous);
        return { body: subscriptionObject(sub.id) };
      }
    }

    if (key === "POST /v1/invoices/create_preview") {
      const sub = need(subscriptions, str(params.subscription), "subscription");
      const details = obj(params.subscription_details);
      const behavior = str(details.proration_behavior) ?? "create_prorations";
      const { items, prorations } = applyItems(sub, details, int(details.proration_date) ?? now());
      const lines = behavior === "none" ? [] : [...prorations];
      if (behavior !== "always_invoice") {
        const next = { ...sub, items };
        lines.push(line(sub, flatAmount(next), "Next billing period", false));
      }
      const total = lines.reduce((sum, l) => sum + Number(l.amount), 0);
      const invoice = fixture("invoice");
      Object.assign(invoice, {
        id: `upcoming_${sub.id}`,
        customer: sub.customer,
        status: "draft",
        amount_due: Math.max(0, total),
        amount_paid: 0,
        amount_remaining: Math.max(0, total),
        subtotal: total,
        total,
        lines: { object: "list", data: lines, has_more: false, url: "/v1/invoices/upcoming/lines" },
      });
      return { body: invoice };
    }
    if (key === "GET /v1/invoices") {
      const customer = str(params.customer);
      const data = [...invoices.values()]
        .filter((i) => !customer || i.customer === customer)
        .sort((x, y) => Number(y.created) - Number(x.created));
      return { body: list(data, "/v1/invoices") };
    }
    void headers;
    throw new StripeHttpError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = Buffer.concat(chunks).toString("utf8");
    const params = req.method === "GET" ? parseForm(url.search.slice(1)) : parseForm(body);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      return;
    }
    const idempotencyKey = req.method === "POST" ? req.headers["idempotency-key"] : undefined;
    const cacheKey =
      typeof idempotencyKey === "string"
        ? `${req.method} ${url.pathname} ${idempotencyKey}`
        : undefined;
    const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
    if (cached) {
      send(cached.status, cached.body);
      return;
    }
    let status = 200;
    let payload: unknown;
    try {
      const result = handle(req.method ?? "GET", url.pathname, params, req.headers);
      status = result.status ?? 200;
      payload = result.body;
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      status = error.status;
      payload = {
        error: {
          type: status >= 500 ? "api_error" : "invalid_request_error",
          message: error.message,
          ...(error.code ? { code: error.code } : {}),
        },
      };
    }
    // Stripe replays the stored response for a repeated key (except 5xx, which may be retried).
    if (cacheKey && status < 500) idempotent.set(cacheKey, { status, body: payload });
    send(status, payload);
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { type: "api_error", message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const change = (
    subscriptionId: string,
    mutate: (sub: SubscriptionState) => Json,
  ): Stripe.Event => {
    const sub = need(subscriptions, subscriptionId, "subscription");
    return updated(sub, mutate(sub));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    secretKey,
    webhookSecret,
    client: () =>
      createStripeClient({
        secretKey,
        host: "127.0.0.1",
        port,
        protocol: "http",
        maxNetworkRetries: 0,
      }),
    events,
    calls,
    customers,
    prices,
    products,
    meters,
    meterEvents,
    invoices,
    subscriptions,
    checkoutSessions,
    paymentMethods,
    attachCard(customer, card = {}) {
      const owner = need(customers, customer, "customer");
      const pm = fixture("payment_method");
      const pmId = id("pm");
      Object.assign(pm, {
        id: pmId,
        customer,
        created: now(),
        card: { ...obj(pm.card), brand: card.brand ?? "visa", last4: card.last4 ?? "4242" },
      });
      paymentMethods.set(pmId, pm);
      owner.invoice_settings = { ...obj(owner.invoice_settings), default_payment_method: pmId };
      return pmId;
    },
    clock,
    faults,
    subscriptionObject,
    completeCheckout(sessionId) {
      const session = need(checkoutSessions, sessionId, "checkout session");
      const data = obj(session._subscription_data);
      const priceIds = arr(session._line_items).map((item) => String(obj(item).price));
      const { sub, events: created } = newSubscription(
        String(session.customer),
        priceIds,
        int(data.trial_period_days),
        obj(data.metadata) as Record<string, string>,
      );
      Object.assign(session, { status: "complete", payment_status: "paid", subscription: sub.id });
      const { _line_items: _l, _subscription_data: _s, ...visible } = session;
      const completed = emit("checkout.session.completed", visible);
      return { subscriptionId: sub.id, events: [completed, ...created] };
    },
    createSubscription(customer, lookupKeys, options = {}) {
      const priceIds = lookupKeys.map((key) => {
        const price = [...prices.values()].find((p) => p.lookup_key === key && p.active === true);
        if (!price) throw new Error(`no active price ${key}`);
        return String(price.id);
      });
      const { sub, events: created } = newSubscription(
        customer,
        priceIds,
        options.trialDays,
        options.metadata ?? {},
      );
      return { subscriptionId: sub.id, events: created };
    },
    endTrial(subscriptionId) {
      const sub = need(subscriptions, subscriptionId, "subscription");
      const invoice = invoiceFor(sub, flatAmount(sub), true, "subscription_cycle");
      const event = change(subscriptionId, (s) => {
        const previous = { status: s.status, trial_end: s.trialEnd };
        s.status = "active";
        s.periodStart = now();
        s.periodEnd = now() + 30 * DAY;
        return previous;
      });
      return [emit("invoice.paid", invoice), event];
    },
    failPayment(subscriptionId) {
      const sub = need(subscriptions, subscriptionId, "subscription");
      const invoice = invoiceFor(sub, flatAmount(sub), false, "subscription_cycle");
      const failed = emit("invoice.payment_failed", invoice);
      return [
        failed,
        change(subscriptionId, (s) => ({ status: ((s.status = "past_due"), "active") })),
      ];
    },
    recoverPayment(subscriptionId) {
      const sub = need(subscriptions, subscriptionId, "subscription");
      const invoice = sub.latestInvoice ? invoices.get(sub.latestInvoice) : undefined;
      if (invoice)
        Object.assign(invoice, {
          status: "paid",
          amount_paid: invoice.amount_due,
          amount_remaining: 0,
        });
      const paid = emit("invoice.paid", invoice ?? {});
      return [
        paid,
        change(subscriptionId, (s) => ({ status: ((s.status = "active"), "past_due") })),
      ];
    },
    mutateSilently(subscriptionId, patch) {
      Object.assign(need(subscriptions, subscriptionId, "subscription"), patch);
    },
    emit,
    signed(event, options = {}) {
      const rawBody = JSON.stringify(event, null, 2);
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload: rawBody,
        secret: options.secret ?? webhookSecret,
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      });
      return { rawBody, signature };
    },
    meterEventTotal(eventName, customer) {
      return [...meterEvents.values()]
        .filter((e) => e.event_name === eventName && obj(e.payload).stripe_customer_id === customer)
        .reduce((sum, e) => sum + Number(obj(e.payload).value), 0);
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
