// A small Stripe-compatible HTTP server for tests: the real `stripe` SDK talks to it over
// loopback. State lives in memory; only the endpoints Plinth uses are implemented. Every
// object is built from the project's own typed fixtures (stripe-fixtures.ts, shaped like
// Stripe's published examples) with the fields that matter overridden, and is held as the
// SDK's own type, so what the server answers is what the SDK promises Plinth's code.
// Test helpers (completeCheckout, failPayment, ...) mutate state the way Stripe would and
// record the events Stripe would send; `signed()` turns an event into a delivery signed with
// the SDK's own signer.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { createStripeClient } from "../src/stripe/client.ts";
import { stripeFixtures as fixtures } from "./stripe-fixtures.ts";

export type Params = Record<string, unknown>;
type EventType = Stripe.Event["type"];
/** The event variant of a type: EventOf<"invoice.paid"> is Stripe.InvoicePaidEvent. */
type EventOf<T extends EventType> = Extract<Stripe.Event, { type: T }>;
type EventObject<T extends EventType> = EventOf<T>["data"]["object"];

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
/** Stripe metadata and meter payloads: string values only (form encoding sends nothing else). */
const strings = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(obj(value)).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])),
  );

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

/** What a checkout session was created with; Stripe exposes it via line_items/subscription. */
interface CheckoutRequest {
  priceIds: string[];
  trialDays: number | undefined;
  metadata: Record<string, string>;
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
  /** Every authenticated request as received: method, path and decoded form parameters. */
  requests: { method: string; path: string; params: Params }[];
  customers: Map<string, Stripe.Customer>;
  prices: Map<string, Stripe.Price>;
  products: Map<string, Stripe.Product>;
  meters: Map<string, Stripe.Billing.Meter>;
  meterEvents: Map<string, Stripe.Billing.MeterEvent>;
  invoices: Map<string, Stripe.Invoice>;
  /** Invoice items (pending until an invoice takes them: `invoice` set). */
  invoiceItems: Map<string, Stripe.InvoiceItem>;
  subscriptions: Map<string, SubscriptionState>;
  checkoutSessions: Map<string, Stripe.Checkout.Session>;
  paymentMethods: Map<string, Stripe.PaymentMethod>;
  /** Attaches a card to the customer and makes it the default for invoices. */
  attachCard(customer: string, card?: { brand?: string; last4?: string }): string;
  /** Current time in unix seconds (default: wall clock); tests may move it. */
  clock: { now: number | null };
  /** Fail the next N meter event requests with a 500 after recording them. */
  faults: { meterEventsAcceptedThenFail: number; customerDeletesFailing: number };
  subscriptionObject(subscriptionId: string): Stripe.Subscription;
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
  emit<T extends EventType>(
    type: T,
    object: EventObject<T>,
    previous?: Partial<EventObject<T>>,
  ): EventOf<T>;
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
  const customers = new Map<string, Stripe.Customer>();
  const prices = new Map<string, Stripe.Price>();
  const products = new Map<string, Stripe.Product>();
  const meters = new Map<string, Stripe.Billing.Meter>();
  const meterEvents = new Map<string, Stripe.Billing.MeterEvent>();
  const invoices = new Map<string, Stripe.Invoice>();
  const invoiceItems = new Map<string, Stripe.InvoiceItem>();
  const subscriptions = new Map<string, SubscriptionState>();
  const checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  const checkoutRequests = new Map<string, CheckoutRequest>();
  const paymentMethods = new Map<string, Stripe.PaymentMethod>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const events: Stripe.Event[] = [];
  const calls = new Map<string, number>();
  const requests: { method: string; path: string; params: Params }[] = [];
  const clock = { now: null as number | null };
  const faults = { meterEventsAcceptedThenFail: 0, customerDeletesFailing: 0 };
  let lastEventCreated = 0;
  const now = () => clock.now ?? Math.floor(Date.now() / 1000);

  const list = <T>(data: T[], url: string) => ({
    object: "list" as const,
    data,
    has_more: false,
    url,
  });
  const need = <T>(map: Map<string, T>, key: string | null | undefined, what: string): T => {
    const found = key ? map.get(key) : undefined;
    if (!found)
      throw new StripeHttpError(404, `No such ${what}: '${key ?? ""}'`, "resource_missing");
    return found;
  };
  const usageType = (price: Stripe.Price) => price.recurring?.usage_type;

  function priceObject(params: Params, product: string): Stripe.Price {
    const recurring = obj(params.recurring);
    const unitAmount = int(params.unit_amount);
    const decimal =
      str(params.unit_amount_decimal) ?? (unitAmount !== undefined ? String(unitAmount) : null);
    return {
      ...fixtures.price(),
      id: id("price"),
      active: true,
      created: now(),
      currency: str(params.currency) ?? "usd",
      product,
      lookup_key: str(params.lookup_key) ?? null,
      metadata: strings(params.metadata),
      unit_amount: unitAmount ?? null,
      unit_amount_decimal: decimal === null ? null : Stripe.Decimal.from(decimal),
      recurring: {
        interval: str(recurring.interval) ?? "month",
        interval_count: 1,
        meter: str(recurring.meter) ?? null,
        usage_type: str(recurring.usage_type) ?? "licensed",
        trial_period_days: null,
      },
    };
  }

  function itemObject(
    sub: SubscriptionState,
    item: SubscriptionItemState,
  ): Stripe.SubscriptionItem {
    const price = need(prices, item.price, "price");
    const { quantity: _quantity, ...template } = fixtures.subscriptionItem();
    const out: Stripe.SubscriptionItem = {
      ...template,
      id: item.id,
      created: sub.created,
      metadata: {},
      price,
      plan: {
        ...fixtures.plan(),
        id: price.id,
        product: price.product,
        interval: price.recurring?.interval ?? "month",
        interval_count: 1,
        usage_type: usageType(price) ?? "licensed",
        amount: price.unit_amount,
        amount_decimal: price.unit_amount_decimal,
        currency: price.currency,
        livemode: false,
      },
      subscription: sub.id,
      current_period_start: sub.periodStart,
      current_period_end: sub.periodEnd,
    };
    // Metered items carry no quantity (usage is reported instead).
    if (usageType(price) !== "metered") out.quantity = item.quantity ?? 1;
    return out;
  }

  function subscriptionObject(subscriptionId: string): Stripe.Subscription {
    const sub = need(subscriptions, subscriptionId, "subscription");
    return {
      ...fixtures.subscription(),
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
      items: list(
        sub.items.map((item) => itemObject(sub, item)),
        `/v1/subscription_items?subscription=${sub.id}`,
      ),
    };
  }

  function emit<T extends EventType>(
    type: T,
    object: EventObject<T>,
    previous?: Partial<EventObject<T>>,
  ): EventOf<T> {
    lastEventCreated = Math.max(lastEventCreated + 1, now());
    const event = {
      ...fixtures.eventEnvelope(),
      id: id("evt"),
      created: lastEventCreated,
      type,
      pending_webhooks: 1,
      data: {
        // A snapshot, as Stripe sends it (later changes to the object do not reach the event).
        object: snapshot(object),
        ...(previous ? { previous_attributes: previous } : {}),
      },
    };
    // TypeScript cannot narrow the union from a generic `type`; the parameters are typed by it.
    const typed = event as unknown as EventOf<T>;
    events.push(typed);
    return typed;
  }

  function invoiceFor(
    sub: SubscriptionState,
    amount: number,
    paid: boolean,
    reason: Stripe.Invoice.BillingReason,
    lines: Stripe.InvoiceLineItem[] = [],
  ): Stripe.Invoice {
    const invoiceId = id("in");
    const invoice: Stripe.Invoice = {
      ...fixtures.invoice(),
      id: invoiceId,
      customer: sub.customer,
      created: now(),
      number: `PLN-${invoices.size + 1}`,
      status: paid ? "paid" : "open",
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      subtotal: amount,
      subtotal_excluding_tax: amount,
      total: amount,
      total_excluding_tax: amount,
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
      lines: list(lines, `/v1/invoices/${invoiceId}/lines`),
    };
    invoices.set(invoiceId, invoice);
    sub.latestInvoice = invoiceId;
    return invoice;
  }

  const flatAmount = (sub: SubscriptionState) =>
    sub.items.reduce((sum, item) => {
      const price = prices.get(item.price);
      return price && usageType(price) === "licensed"
        ? sum + (price.unit_amount ?? 0) * (item.quantity ?? 1)
        : sum;
    }, 0);

  function line(
    sub: SubscriptionState,
    amount: number,
    description: string,
    proration: boolean,
    item: string,
    detail: { price?: string; quantity?: number } = {},
  ): Stripe.InvoiceLineItem {
    const template = fixtures.invoiceLineItem();
    return {
      ...template,
      id: id("il"),
      amount,
      description,
      subtotal: amount,
      ...(detail.quantity !== undefined ? { quantity: detail.quantity } : {}),
      ...(detail.price
        ? {
            pricing: {
              type: "price_details",
              unit_amount_decimal: null,
              price_details: { price: detail.price, product: "" },
            },
          }
        : {}),
      period: { start: now(), end: sub.periodEnd },
      parent: {
        type: "subscription_item_details",
        invoice_item_details: null,
        subscription_item_details: {
          invoice_item: null,
          proration,
          proration_details: { credited_items: null },
          subscription: sub.id,
          subscription_item: item,
        },
      },
    };
  }

  function newSubscription(
    customer: string,
    priceIds: string[],
    trialDays: number | undefined,
    metadata: Record<string, string>,
  ) {
    need(customers, customer, "customer");
    const interval =
      priceIds.map((p) => need(prices, p, "price").recurring?.interval).find(Boolean) ?? "month";
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

  /** subscriptions.cancel (and a customer's deletion): ended now, a deleted event. */
  function endSubscription(sub: SubscriptionState) {
    sub.status = "canceled";
    sub.canceledAt = now();
    sub.endedAt = now();
    sub.cancelAtPeriodEnd = false;
    emit("customer.subscription.deleted", subscriptionObject(sub.id));
  }

  function updated(sub: SubscriptionState, previous: Partial<Stripe.Subscription>): Stripe.Event {
    return emit("customer.subscription.updated", subscriptionObject(sub.id), previous);
  }

  /**
   * Applies `items` from a subscription update/preview; returns the resulting items and
   * proration lines. Licensed items prorate by quantity: a removed item or fewer units credit
   * the unused time, a new item or more units charge the remaining time, a price swap both.
   */
  function applyItems(sub: SubscriptionState, params: Params, prorationDate: number) {
    const items = sub.items.map((item) => ({ ...item }));
    const prorations: Stripe.InvoiceLineItem[] = [];
    const fraction = Math.max(
      0,
      Math.min(1, (sub.periodEnd - prorationDate) / (sub.periodEnd - sub.periodStart)),
    );
    const prorate = (price: Stripe.Price, units: number, target: string) => {
      if (usageType(price) !== "licensed" || units === 0) return;
      const amount = Math.round((price.unit_amount ?? 0) * units * fraction);
      const text = units < 0 ? "Unused time on" : "Remaining time on";
      prorations.push(
        line(
          sub,
          amount,
          `${text} ${Math.abs(units)} × ${String(price.lookup_key)}`,
          true,
          target,
          {
            price: price.id,
            quantity: Math.abs(units),
          },
        ),
      );
    };
    for (const raw of arr(params.items)) {
      const change = obj(raw);
      const itemId = str(change.id);
      const existing = itemId ? items.find((item) => item.id === itemId) : undefined;
      if (itemId && !existing)
        throw new StripeHttpError(400, `Invalid subscription item ${itemId}`);
      const quantity = int(change.quantity);
      if (quantity !== undefined && (!Number.isInteger(quantity) || quantity < 0))
        throw new StripeHttpError(400, `Invalid integer: ${String(change.quantity)}`);
      if (existing && bool(change.deleted)) {
        prorate(need(prices, existing.price, "price"), -(existing.quantity ?? 1), existing.id);
        items.splice(items.indexOf(existing), 1);
        continue;
      }
      const priceId = str(change.price);
      if (!priceId) {
        if (existing && quantity !== undefined) {
          const price = need(prices, existing.price, "price");
          prorate(price, quantity - (existing.quantity ?? 1), existing.id);
          existing.quantity = quantity;
        }
        continue;
      }
      const price = need(prices, priceId, "price");
      let target = existing;
      if (target) {
        prorate(need(prices, target.price, "price"), -(target.quantity ?? 1), target.id);
        target.price = priceId;
        target.quantity = quantity ?? target.quantity ?? 1;
      } else {
        target = { id: id("si"), price: priceId, ...(quantity !== undefined ? { quantity } : {}) };
        items.push(target);
      }
      prorate(price, target.quantity ?? 1, target.id);
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
      const customer: Stripe.Customer = {
        ...fixtures.customer(),
        id: id("cus"),
        created: now(),
        name: str(params.name) ?? null,
        email: str(params.email) ?? null,
        metadata: strings(params.metadata),
      };
      customers.set(customer.id, customer);
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
    // Like Stripe: deleting a customer cancels its subscriptions at once; a deleted customer
    // is then unknown (404 resource_missing).
    if (method === "DELETE" && a === "customers" && b && !c) {
      if (faults.customerDeletesFailing > 0) {
        faults.customerDeletesFailing--;
        throw new StripeHttpError(500, "Simulated outage");
      }
      need(customers, b, "customer");
      for (const sub of subscriptions.values()) {
        if (sub.customer === b && sub.status !== "canceled") endSubscription(sub);
      }
      customers.delete(b);
      return { body: { id: b, object: "customer", deleted: true } };
    }

    if (a === "billing" && b === "meters") {
      if (method === "GET" && !c) return { body: list([...meters.values()], "/v1/billing/meters") };
      if (method === "POST" && !c) {
        const mapping = obj(params.customer_mapping);
        const meter: Stripe.Billing.Meter = {
          ...fixtures.meter(),
          id: id("mtr"),
          created: now(),
          updated: now(),
          display_name: str(params.display_name) ?? "",
          event_name: str(params.event_name) ?? "",
          customer_mapping: {
            event_payload_key: str(mapping.event_payload_key) ?? "stripe_customer_id",
            type: "by_id",
          },
          value_settings: {
            event_payload_key: str(obj(params.value_settings).event_payload_key) ?? "value",
          },
          default_aggregation: { formula: str(obj(params.default_aggregation).formula) ?? "sum" },
          status: "active",
        };
        meters.set(meter.id, meter);
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
      const payload = strings(params.payload);
      if (!existing) {
        const eventName = str(params.event_name);
        if (!eventName || ![...meters.values()].some((m) => m.event_name === eventName)) {
          throw new StripeHttpError(
            400,
            `No active meter was found for event name ${eventName ?? ""}`,
          );
        }
        need(customers, payload.stripe_customer_id, "customer");
        meterEvents.set(identifier, {
          ...fixtures.meterEvent(),
          created: now(),
          event_name: eventName,
          identifier,
          payload,
          timestamp: int(params.timestamp) ?? now(),
        });
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
        const product: Stripe.Product = {
          ...fixtures.product(),
          id: productId,
          active: true,
          created: now(),
          updated: now(),
          name: str(params.name) ?? "",
          description: str(params.description) ?? null,
          metadata: strings(params.metadata),
        };
        products.set(productId, product);
        return { body: product };
      }
      if (method === "POST" && b) {
        const product = need(products, b, "product");
        const name = str(params.name);
        const description = str(params.description);
        const active = bool(params.active);
        if (name !== undefined) product.name = name;
        if (description !== undefined) product.description = description;
        if (active !== undefined) product.active = active;
        if (params.metadata !== undefined)
          product.metadata = { ...product.metadata, ...strings(params.metadata) };
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
        const product = need(products, str(params.product), "product");
        const price = priceObject(params, product.id);
        const lookupKey = price.lookup_key;
        const holder = [...prices.values()].find((p) => lookupKey && p.lookup_key === lookupKey);
        if (holder) {
          if (bool(params.transfer_lookup_key)) holder.lookup_key = null;
          else
            throw new StripeHttpError(400, `A price (${holder.id}) already uses that lookup key.`);
        }
        prices.set(price.id, price);
        return { body: price };
      }
      if (method === "POST" && b) {
        const price = need(prices, b, "price");
        const active = bool(params.active);
        if (active !== undefined) price.active = active;
        if (params.metadata !== undefined)
          price.metadata = { ...price.metadata, ...strings(params.metadata) };
        return { body: price };
      }
    }

    if (key === "POST /v1/checkout/sessions") {
      const customer = str(params.customer);
      need(customers, customer, "customer");
      const lineItems = arr(params.line_items).map(obj);
      for (const item of lineItems) need(prices, str(item.price), "price");
      const subscriptionData = obj(params.subscription_data);
      const sessionId = `cs_test_${randomBytes(16).toString("hex")}`;
      const session: Stripe.Checkout.Session = {
        ...fixtures.checkoutSession(),
        id: sessionId,
        mode: str(params.mode) ?? "payment",
        customer: customer ?? null,
        client_reference_id: str(params.client_reference_id) ?? null,
        success_url: str(params.success_url) ?? null,
        cancel_url: str(params.cancel_url) ?? null,
        metadata: strings(params.metadata),
        created: now(),
        expires_at: now() + DAY,
        status: "open",
        payment_status: "unpaid",
        payment_intent: null,
        subscription: null,
        url: `https://checkout.stripe.test/c/pay/${sessionId}`,
      };
      checkoutSessions.set(sessionId, session);
      checkoutRequests.set(sessionId, {
        priceIds: lineItems.map((item) => String(item.price)),
        trialDays: int(subscriptionData.trial_period_days),
        metadata: strings(subscriptionData.metadata),
      });
      return { body: session };
    }

    if (key === "POST /v1/billing_portal/sessions") {
      const customer = need(customers, str(params.customer), "customer");
      const session: Stripe.BillingPortal.Session = {
        ...fixtures.billingPortalSession(),
        id: id("bps"),
        customer: customer.id,
        return_url: str(params.return_url) ?? null,
        created: now(),
        url: `https://billing.stripe.test/p/session/${randomBytes(8).toString("hex")}`,
      };
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
      if (method === "DELETE" && b) {
        const sub = need(subscriptions, b, "subscription");
        if (sub.status === "canceled")
          throw new StripeHttpError(400, "This subscription has already been canceled.");
        endSubscription(sub);
        return { body: subscriptionObject(sub.id) };
      }
      if (method === "POST" && b) {
        const sub = need(subscriptions, b, "subscription");
        if (sub.status === "canceled")
          throw new StripeHttpError(
            400,
            "A canceled subscription can only update its cancellation_details and metadata.",
          );
        const previous: Partial<Stripe.Subscription> = {};
        if (params.cancel_at_period_end !== undefined) {
          previous.cancel_at_period_end = sub.cancelAtPeriodEnd;
          sub.cancelAtPeriodEnd = bool(params.cancel_at_period_end) ?? false;
          sub.canceledAt = sub.cancelAtPeriodEnd ? now() : null;
        }
        if (params.metadata !== undefined) {
          previous.metadata = sub.metadata;
          sub.metadata = { ...sub.metadata, ...strings(params.metadata) };
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
            const total = prorations.reduce((sum, l) => sum + l.amount, 0);
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

    if (a === "invoiceitems") {
      if (method === "GET" && !b) {
        const customer = str(params.customer);
        const pending = bool(params.pending);
        const data = [...invoiceItems.values()].filter(
          (item) =>
            (!customer || item.customer === customer) &&
            (pending === undefined || (item.invoice === null) === pending),
        );
        return { body: list(data, "/v1/invoiceitems") };
      }
      if (method === "POST" && !b) {
        const customer = need(customers, str(params.customer), "customer");
        const subscription = str(params.subscription);
        if (subscription) need(subscriptions, subscription, "subscription");
        const amount = int(params.amount);
        if (amount === undefined || !str(params.currency))
          throw new StripeHttpError(400, "Missing required param: amount or currency.");
        const period = obj(params.period);
        const item: Stripe.InvoiceItem = {
          ...fixtures.invoiceItem(),
          id: id("ii"),
          customer: customer.id,
          amount,
          net_amount: amount,
          currency: str(params.currency) ?? "usd",
          date: now(),
          description: str(params.description) ?? null,
          metadata: strings(params.metadata),
          period: { start: int(period.start) ?? now(), end: int(period.end) ?? now() },
          parent: subscription
            ? { type: "subscription_details", subscription_details: { subscription } }
            : null,
        };
        invoiceItems.set(item.id, item);
        return { body: item };
      }
      if (method === "POST" && b) {
        const item = need(invoiceItems, b, "invoiceitem");
        if (item.invoice !== null)
          throw new StripeHttpError(400, "Only pending invoice items can be updated.");
        const amount = int(params.amount);
        if (amount !== undefined) Object.assign(item, { amount, net_amount: amount });
        const description = str(params.description);
        if (description !== undefined) item.description = description;
        if (params.metadata !== undefined)
          item.metadata = { ...item.metadata, ...strings(params.metadata) };
        return { body: item };
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
        const [first] = items;
        if (!first) throw new StripeHttpError(400, "A subscription needs at least one item.");
        lines.push(line(sub, flatAmount(next), "Next billing period", false, first.id));
      }
      // Like Stripe: the customer's pending invoice items (of this subscription or of none)
      // are on the subscription's next invoice.
      for (const item of invoiceItems.values()) {
        const owner =
          item.parent?.type === "subscription_details"
            ? item.parent.subscription_details?.subscription
            : null;
        if (item.customer !== sub.customer || item.invoice !== null) continue;
        if (owner && owner !== sub.id) continue;
        lines.push({
          ...fixtures.invoiceLineItem(),
          id: id("il"),
          amount: item.amount,
          subtotal: item.amount,
          description: item.description,
          metadata: item.metadata ?? {},
          period: item.period,
          parent: {
            type: "invoice_item_details",
            subscription_item_details: null,
            invoice_item_details: {
              invoice_item: item.id,
              proration: false,
              proration_details: { credited_items: null },
              subscription: owner ?? null,
            },
          },
        });
      }
      const total = lines.reduce((sum, l) => sum + l.amount, 0);
      const invoice: Stripe.Invoice = {
        ...fixtures.invoice(),
        id: `upcoming_${sub.id}`,
        customer: sub.customer,
        status: "draft",
        amount_due: Math.max(0, total),
        amount_paid: 0,
        amount_remaining: Math.max(0, total),
        subtotal: total,
        subtotal_excluding_tax: total,
        total,
        total_excluding_tax: total,
        lines: list(lines, "/v1/invoices/upcoming/lines"),
      };
      return { body: invoice };
    }
    if (key === "GET /v1/invoices") {
      const customer = str(params.customer);
      const data = [...invoices.values()]
        .filter((i) => !customer || i.customer === customer)
        .sort((x, y) => y.created - x.created);
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
    requests.push({ method: req.method ?? "GET", path: url.pathname, params });
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
      // What goes on the wire, frozen now (a later change of the state does not alter a replay).
      payload = snapshot(result.body);
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
    mutate: (sub: SubscriptionState) => Partial<Stripe.Subscription>,
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
    requests,
    customers,
    prices,
    products,
    meters,
    meterEvents,
    invoices,
    invoiceItems,
    subscriptions,
    checkoutSessions,
    paymentMethods,
    attachCard(customer, card = {}) {
      const owner = need(customers, customer, "customer");
      const template = fixtures.paymentMethod();
      const pm: Stripe.PaymentMethod = {
        ...template,
        id: id("pm"),
        customer,
        created: now(),
        card: { ...template.card, brand: card.brand ?? "visa", last4: card.last4 ?? "4242" },
      };
      paymentMethods.set(pm.id, pm);
      owner.invoice_settings = { ...owner.invoice_settings, default_payment_method: pm.id };
      return pm.id;
    },
    clock,
    faults,
    subscriptionObject,
    completeCheckout(sessionId) {
      const session = need(checkoutSessions, sessionId, "checkout session");
      const request = need(checkoutRequests, sessionId, "checkout session");
      const { sub, events: created } = newSubscription(
        typeof session.customer === "string" ? session.customer : (session.customer?.id ?? ""),
        request.priceIds,
        request.trialDays,
        request.metadata,
      );
      Object.assign(session, { status: "complete", payment_status: "paid", subscription: sub.id });
      const completed = emit("checkout.session.completed", session);
      return { subscriptionId: sub.id, events: [completed, ...created] };
    },
    createSubscription(customer, lookupKeys, options = {}) {
      const priceIds = lookupKeys.map((key) => {
        const price = [...prices.values()].find((p) => p.lookup_key === key && p.active);
        if (!price) throw new Error(`no active price ${key}`);
        return price.id;
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
      const invoice = need(invoices, sub.latestInvoice, "invoice");
      Object.assign(invoice, {
        status: "paid",
        amount_paid: invoice.amount_due,
        amount_remaining: 0,
      });
      const paid = emit("invoice.paid", invoice);
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
        .filter((e) => e.event_name === eventName && e.payload.stripe_customer_id === customer)
        .reduce((sum, e) => sum + Number(e.payload.value), 0);
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}

/**
 * A deep copy of an API object as it travels: through JSON, so `Stripe.Decimal`s become the
 * decimal strings of the wire (structuredClone would keep their internals instead).
 */
function snapshot<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
