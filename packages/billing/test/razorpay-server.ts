// A small Razorpay-compatible HTTP server for tests: the official `razorpay` SDK talks to it
// over loopback (basic auth with the key id and secret, JSON bodies, Razorpay's error shape).
// State lives in memory; only the endpoints Plinth uses are implemented, with entities shaped
// like Razorpay's API reference. Every request is recorded so tests can assert what the SDK
// sent. Helpers (activate, charge, failPayment, ...) change state the way Razorpay would and
// return the webhook events it would send; `signed()` turns one into a delivery.
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRazorpayClient, type Razorpay } from "../src/razorpay/client.ts";

type Json = Record<string, unknown>;
const DAY = 86_400;
const rid = (prefix: string) => `${prefix}_${randomBytes(7).toString("hex")}`;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Json | null;
}

export interface RazorpayPlan {
  id: string;
  entity: "plan";
  period: "daily" | "weekly" | "monthly" | "yearly";
  interval: number;
  item: { id: string; name: string; description: string | null; amount: number; currency: string };
  notes: Json | never[];
  created_at: number;
}

export interface RazorpaySubscription {
  id: string;
  entity: "subscription";
  plan_id: string;
  status: string;
  current_start: number | null;
  current_end: number | null;
  ended_at: number | null;
  quantity: number;
  notes: Json | never[];
  charge_at: number | null;
  start_at: number | null;
  end_at: number | null;
  total_count: number;
  paid_count: number;
  remaining_count: number;
  customer_notify: boolean;
  created_at: number;
  short_url: string;
  has_scheduled_changes: boolean;
  change_scheduled_at: number | null;
}

export interface RazorpayInvoice {
  id: string;
  entity: "invoice";
  type: "invoice";
  status: "issued" | "paid" | "cancelled" | "expired";
  subscription_id: string;
  receipt: string | null;
  currency: string;
  amount: number;
  amount_paid: number;
  amount_due: number;
  short_url: string;
  billing_start: number;
  billing_end: number;
  issued_at: number;
  paid_at: number | null;
  created_at: number;
}

export interface RazorpayEvent {
  /** What Razorpay sends in X-Razorpay-Event-Id. */
  id: string;
  body: Json;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RazorpayTestServer {
  baseUrl: string;
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  requests: RecordedRequest[];
  plans: Map<string, RazorpayPlan>;
  subscriptions: Map<string, RazorpaySubscription>;
  invoices: Map<string, RazorpayInvoice>;
  /** The official SDK pointed at this server. */
  client(options?: { keySecret?: string }): Razorpay;
  /** The next `count` API requests answer 500 (Razorpay having a bad moment). */
  failNextRequests(count: number): void;
  /** Unix seconds "now" for the server (default: the real clock). */
  setNow(seconds: number | null): void;
  /** Checkout completed for a subscription starting later (a trial): authorised, not charged. */
  authenticate(subscriptionId: string): RazorpayEvent[];
  /** Checkout completed: authorised, first cycle charged. */
  activate(subscriptionId: string): RazorpayEvent[];
  /** The next cycle charged. */
  charge(subscriptionId: string): RazorpayEvent[];
  /** A renewal charge failed: payment.failed (no subscription in its payload) and pending. */
  failPayment(subscriptionId: string): RazorpayEvent[];
  halt(subscriptionId: string): RazorpayEvent[];
  complete(subscriptionId: string): RazorpayEvent[];
  /** The cycle ended for a subscription cancelled at its cycle end. */
  endCycle(subscriptionId: string): RazorpayEvent[];
  event(type: string, subscription: RazorpaySubscription, payment?: Json): RazorpayEvent;
  signed(
    event: RazorpayEvent,
    options?: { secret?: string },
  ): { rawBody: string; signature: string; eventId: string };
  close(): Promise<void>;
}

export async function startRazorpayTestServer(): Promise<RazorpayTestServer> {
  const keyId = `rzp_test_${randomBytes(7).toString("hex")}`;
  const keySecret = randomBytes(12).toString("hex");
  const webhookSecret = randomBytes(12).toString("hex");
  const requests: RecordedRequest[] = [];
  const plans = new Map<string, RazorpayPlan>();
  const subscriptions = new Map<string, RazorpaySubscription>();
  const invoices = new Map<string, RazorpayInvoice>();
  const cancelAtCycleEnd = new Set<string>();
  const scheduledPlan = new Map<string, string>();
  let fixedNow: number | null = null;
  let failing = 0;
  const now = () => fixedNow ?? Math.floor(Date.now() / 1000);

  const get = <T>(map: Map<string, T>, id: string, what: string): T => {
    const found = map.get(id);
    if (!found) throw new HttpError(400, `The id provided does not exist (${what})`);
    return found;
  };
  const periodSeconds = (sub: RazorpaySubscription) =>
    get(plans, sub.plan_id, "plan").period === "yearly" ? 365 * DAY : 30 * DAY;
  const amountOf = (sub: RazorpaySubscription) =>
    get(plans, sub.plan_id, "plan").item.amount * sub.quantity;

  function invoiceFor(
    sub: RazorpaySubscription,
    status: RazorpayInvoice["status"],
  ): RazorpayInvoice {
    const amount = amountOf(sub);
    const invoice: RazorpayInvoice = {
      id: rid("inv"),
      entity: "invoice",
      type: "invoice",
      status,
      subscription_id: sub.id,
      receipt: null,
      currency: get(plans, sub.plan_id, "plan").item.currency,
      amount,
      amount_paid: status === "paid" ? amount : 0,
      amount_due: status === "paid" ? 0 : amount,
      short_url: `https://rzp.io/i/${randomBytes(4).toString("hex")}`,
      billing_start: sub.current_start ?? now(),
      billing_end: sub.current_end ?? now(),
      issued_at: now(),
      paid_at: status === "paid" ? now() : null,
      created_at: now(),
    };
    invoices.set(invoice.id, invoice);
    return invoice;
  }
  const payment = (invoice: RazorpayInvoice, status: "captured" | "failed"): Json => ({
    id: rid("pay"),
    entity: "payment",
    amount: invoice.amount,
    currency: invoice.currency,
    status,
    invoice_id: invoice.id,
    method: "card",
    error_code: status === "failed" ? "BAD_REQUEST_ERROR" : null,
    created_at: now(),
  });

  function event(type: string, subscription: RazorpaySubscription, pay?: Json): RazorpayEvent {
    const payload: Json =
      type === "payment.failed"
        ? { payment: { entity: pay } }
        : {
            subscription: { entity: { ...subscription } },
            ...(pay ? { payment: { entity: pay } } : {}),
          };
    return {
      id: rid("evt"),
      body: {
        entity: "event",
        account_id: "acc_test",
        event: type,
        contains: Object.keys(payload),
        payload,
        created_at: now(),
      },
    };
  }

  function startCycle(sub: RazorpaySubscription) {
    const pending = scheduledPlan.get(sub.id);
    if (pending) {
      sub.plan_id = pending;
      scheduledPlan.delete(sub.id);
      sub.has_scheduled_changes = false;
      sub.change_scheduled_at = null;
    }
    sub.current_start = sub.current_end ?? now();
    sub.current_end = sub.current_start + periodSeconds(sub);
    sub.charge_at = sub.current_end;
    sub.paid_count += 1;
    sub.remaining_count = sub.total_count - sub.paid_count;
    sub.status = "active";
  }

  const routes: [string, RegExp, (m: RegExpExecArray, req: RecordedRequest) => unknown][] = [
    [
      "GET",
      /^\/v1\/plans$/,
      (_, req) => {
        const count = Number(req.query.count ?? 10);
        const skip = Number(req.query.skip ?? 0);
        const items = [...plans.values()].reverse().slice(skip, skip + count);
        return { entity: "collection", count: items.length, items };
      },
    ],
    [
      "POST",
      /^\/v1\/plans$/,
      (_, req) => {
        const body = req.body ?? {};
        const item = (body.item ?? {}) as Json;
        if (!["daily", "weekly", "monthly", "yearly"].includes(String(body.period)))
          throw new HttpError(400, "The period field is invalid");
        if (
          typeof body.interval !== "number" ||
          typeof item.name !== "string" ||
          typeof item.amount !== "number" ||
          typeof item.currency !== "string"
        )
          throw new HttpError(
            400,
            "interval, item.name, item.amount and item.currency are required",
          );
        const plan: RazorpayPlan = {
          id: rid("plan"),
          entity: "plan",
          period: body.period as RazorpayPlan["period"],
          interval: body.interval,
          item: {
            id: rid("item"),
            name: item.name,
            description: typeof item.description === "string" ? item.description : null,
            amount: item.amount,
            currency: item.currency,
          },
          notes: (body.notes as Json | undefined) ?? [],
          created_at: now(),
        };
        plans.set(plan.id, plan);
        return plan;
      },
    ],
    ["GET", /^\/v1\/plans\/([\w]+)$/, (m) => get(plans, m[1] ?? "", "plan")],
    [
      "POST",
      /^\/v1\/subscriptions$/,
      (_, req) => {
        const body = req.body ?? {};
        const planId = typeof body.plan_id === "string" ? body.plan_id : "";
        get(plans, planId, "plan");
        if (typeof body.total_count !== "number" || body.total_count < 1)
          throw new HttpError(400, "The total count field is required");
        const startAt = typeof body.start_at === "number" ? body.start_at : null;
        const sub: RazorpaySubscription = {
          id: rid("sub"),
          entity: "subscription",
          plan_id: planId,
          status: "created",
          current_start: null,
          current_end: null,
          ended_at: null,
          quantity: typeof body.quantity === "number" ? body.quantity : 1,
          notes: (body.notes as Json | undefined) ?? [],
          charge_at: startAt,
          start_at: startAt,
          end_at: null,
          total_count: body.total_count,
          paid_count: 0,
          remaining_count: body.total_count,
          customer_notify: body.customer_notify === 1 || body.customer_notify === true,
          created_at: now(),
          short_url: `https://rzp.io/i/${randomBytes(4).toString("hex")}`,
          has_scheduled_changes: false,
          change_scheduled_at: null,
        };
        subscriptions.set(sub.id, sub);
        return sub;
      },
    ],
    ["GET", /^\/v1\/subscriptions\/(\w+)$/, (m) => get(subscriptions, m[1] ?? "", "subscription")],
    [
      "PATCH",
      /^\/v1\/subscriptions\/(\w+)$/,
      (m, req) => {
        const sub = get(subscriptions, m[1] ?? "", "subscription");
        const body = req.body ?? {};
        if (!["active", "authenticated"].includes(sub.status))
          throw new HttpError(400, "Subscription can only be updated when active or authenticated");
        if (typeof body.plan_id === "string") {
          get(plans, body.plan_id, "plan");
          if (body.schedule_change_at === "cycle_end") {
            scheduledPlan.set(sub.id, body.plan_id);
            sub.has_scheduled_changes = true;
            sub.change_scheduled_at = sub.current_end;
          } else {
            sub.plan_id = body.plan_id;
          }
        }
        return sub;
      },
    ],
    [
      "POST",
      /^\/v1\/subscriptions\/(\w+)\/cancel$/,
      (m, req) => {
        const sub = get(subscriptions, m[1] ?? "", "subscription");
        if (["cancelled", "completed", "expired"].includes(sub.status))
          throw new HttpError(400, "Subscription is not cancellable in its current state");
        if (req.body?.cancel_at_cycle_end === 1) cancelAtCycleEnd.add(sub.id);
        else {
          sub.status = "cancelled";
          sub.ended_at = now();
        }
        return sub;
      },
    ],
    [
      "POST",
      /^\/v1\/subscriptions\/(\w+)\/pause$/,
      (m) => {
        const sub = get(subscriptions, m[1] ?? "", "subscription");
        if (sub.status !== "active")
          throw new HttpError(400, "Only an active subscription can be paused");
        sub.status = "paused";
        return sub;
      },
    ],
    [
      "POST",
      /^\/v1\/subscriptions\/(\w+)\/resume$/,
      (m, req) => {
        const sub = get(subscriptions, m[1] ?? "", "subscription");
        if (sub.status !== "paused")
          throw new HttpError(400, "Only a paused subscription can be resumed");
        if (req.body?.resume_at !== "now") throw new HttpError(400, "resume_at must be now");
        sub.status = "active";
        return sub;
      },
    ],
    [
      "GET",
      /^\/v1\/invoices$/,
      (_, req) => {
        const items = [...invoices.values()]
          .filter(
            (inv) =>
              !req.query.subscription_id || inv.subscription_id === req.query.subscription_id,
          )
          .reverse()
          .slice(
            Number(req.query.skip ?? 0),
            Number(req.query.skip ?? 0) + Number(req.query.count ?? 10),
          );
        return { entity: "collection", count: items.length, items };
      },
    ],
    ["GET", /^\/v1\/invoices\/(\w+)$/, (m) => get(invoices, m[1] ?? "", "invoice")],
  ];

  const expectedAuth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString("base64")}`;
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://razorpay.test");
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: raw ? (JSON.parse(raw) as Json) : null,
    };
    requests.push(recorded);
    if (request.headers.authorization !== expectedAuth) {
      return send(401, {
        error: { code: "BAD_REQUEST_ERROR", description: "Authentication failed" },
      });
    }
    if (failing > 0) {
      failing -= 1;
      return send(500, {
        error: { code: "SERVER_ERROR", description: "We are facing some trouble" },
      });
    }
    for (const [method, pattern, route] of routes) {
      const match = method === recorded.method ? pattern.exec(url.pathname) : null;
      if (!match) continue;
      try {
        return send(200, route(match, recorded));
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        return send(error.status, {
          error: { code: "BAD_REQUEST_ERROR", description: error.message },
        });
      }
    }
    send(404, {
      error: {
        code: "BAD_REQUEST_ERROR",
        description: "The requested URL was not found on the server.",
      },
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "SERVER_ERROR", description: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const sub = (id: string) => get(subscriptions, id, "subscription");

  return {
    baseUrl,
    keyId,
    keySecret,
    webhookSecret,
    requests,
    plans,
    subscriptions,
    invoices,
    client: (options = {}) =>
      createRazorpayClient({ keyId, keySecret: options.keySecret ?? keySecret, baseUrl }),
    failNextRequests(count) {
      failing = count;
    },
    setNow(seconds) {
      fixedNow = seconds;
    },
    authenticate(id) {
      const s = sub(id);
      s.status = "authenticated";
      return [event("subscription.authenticated", s)];
    },
    activate(id) {
      const s = sub(id);
      s.status = "authenticated";
      const authenticated = event("subscription.authenticated", s);
      startCycle(s);
      const invoice = invoiceFor(s, "paid");
      const pay = payment(invoice, "captured");
      return [
        authenticated,
        event("subscription.activated", s, pay),
        event("subscription.charged", s, pay),
      ];
    },
    charge(id) {
      const s = sub(id);
      startCycle(s);
      return [event("subscription.charged", s, payment(invoiceFor(s, "paid"), "captured"))];
    },
    failPayment(id) {
      const s = sub(id);
      const renewal = {
        ...s,
        current_start: s.current_end,
        current_end: (s.current_end ?? now()) + periodSeconds(s),
      };
      const invoice = invoiceFor(renewal, "issued");
      s.status = "pending";
      return [
        event("payment.failed", s, payment(invoice, "failed")),
        event("subscription.pending", s),
      ];
    },
    halt(id) {
      const s = sub(id);
      s.status = "halted";
      return [event("subscription.halted", s)];
    },
    complete(id) {
      const s = sub(id);
      s.status = "completed";
      s.ended_at = now();
      return [event("subscription.completed", s)];
    },
    endCycle(id) {
      const s = sub(id);
      if (!cancelAtCycleEnd.has(id)) throw new Error(`${id} is not cancelled at its cycle end`);
      s.status = "cancelled";
      s.ended_at = s.current_end ?? now();
      return [event("subscription.cancelled", s)];
    },
    event,
    signed(e, options = {}) {
      const rawBody = JSON.stringify(e.body);
      const signature = createHmac("sha256", options.secret ?? webhookSecret)
        .update(rawBody)
        .digest("hex");
      return { rawBody, signature, eventId: e.id };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
