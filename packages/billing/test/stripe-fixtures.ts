// Stripe API objects for the test Stripe server (stripe-server.ts), written for this project.
// Each one is shaped like Stripe's published example of its resource (the fixtures of the
// stripe/openapi repository) and checked against the SDK's own type with `satisfies`: a field
// the SDK does not know, a missing field or a value of the wrong type is a compile error, so
// the server's answers stay what the real SDK promises Plinth's code. Only the resources the
// server serves are here. Each function returns a fresh object; the server spreads it and
// overrides what a request decides (ids, amounts, timestamps, relations).
//
// Amounts in *_decimal fields are `Stripe.Decimal`s: the SDK turns the wire's decimal strings
// into them, and their toJSON() writes the string back, so JSON.stringify gives the wire form.
import Stripe from "stripe";

/** Stripe's examples use this timestamp for every `created`. */
const CREATED = 1_234_567_890;
const CUSTOMER_ID = "cus_QXg1o8vcGmoR32";
const PRODUCT_ID = "prod_QXg1hqf4jFNsqG";
const PRICE_ID = "price_1PgafmB7WZ01zgkW6dKueIc5";
const SUBSCRIPTION_ID = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw";
const INVOICE_ID = "in_1Pgc6tB7WZ01zgkWu9fdqL6I";

const emptyAddress = () => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
});

const list = <T>(url: string, data: T[] = []) => ({
  object: "list" as const,
  data,
  has_more: false,
  url,
});

function customer() {
  return {
    id: CUSTOMER_ID,
    object: "customer",
    address: emptyAddress(),
    balance: 0,
    created: CREATED,
    currency: "usd",
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: "7FE1103",
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null as string | Stripe.PaymentMethod | null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: {} as Stripe.Metadata,
    name: null as string | null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  } satisfies Stripe.Customer;
}

function product() {
  return {
    id: PRODUCT_ID,
    object: "product",
    active: true,
    created: CREATED,
    default_price: null,
    description: "Comfortable gray cotton t-shirt",
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: "T-shirt",
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: CREATED,
    url: null,
  } satisfies Stripe.Product;
}

function price() {
  return {
    id: PRICE_ID,
    object: "price",
    active: true,
    billing_scheme: "per_unit",
    created: CREATED,
    currency: "usd",
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: PRODUCT_ID,
    recurring: {
      interval: "month",
      interval_count: 1,
      meter: null,
      usage_type: "licensed",
      trial_period_days: null,
    },
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: "recurring",
    unit_amount: 2000,
    unit_amount_decimal: Stripe.Decimal.from("2000"),
  } satisfies Stripe.Price;
}

/** The legacy `plan` view of a recurring price that subscription items still carry. */
function plan() {
  return {
    id: PRICE_ID,
    object: "plan",
    active: true,
    amount: 2000,
    amount_decimal: Stripe.Decimal.from("2000"),
    billing_scheme: "per_unit",
    created: CREATED,
    currency: "usd",
    interval: "month",
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: PRODUCT_ID,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  } satisfies Stripe.Plan;
}

function subscriptionItem() {
  return {
    id: "si_QXhVBoJ7NQdNXh",
    object: "subscription_item",
    billing_thresholds: null,
    created: CREATED,
    current_period_end: CREATED + 30 * 86_400,
    current_period_start: CREATED,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: plan(),
    price: price(),
    quantity: 1,
    subscription: SUBSCRIPTION_ID,
    tax_rates: [],
  } satisfies Stripe.SubscriptionItem;
}

function subscription() {
  return {
    id: SUBSCRIPTION_ID,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null, disabled_reason: null },
    billing_cycle_anchor: CREATED,
    billing_cycle_anchor_config: null,
    billing_mode: { type: "classic", flexible: null },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: CREATED,
    currency: "usd",
    customer: CUSTOMER_ID,
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: list<Stripe.SubscriptionItem>(`/v1/subscription_items?subscription=${SUBSCRIPTION_ID}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: null,
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: CREATED,
    status: "active",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" },
    },
    trial_start: null,
  } satisfies Stripe.Subscription;
}

function invoiceLineItem() {
  return {
    id: "il_1Pgc6sB7WZ01zgkWFnxLrLCq",
    object: "line_item",
    amount: 1000,
    currency: "usd",
    description: "My First Invoice Item (created for API docs)",
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: INVOICE_ID,
    livemode: false,
    metadata: {},
    parent: null as Stripe.InvoiceLineItem.Parent | null,
    period: { end: CREATED, start: CREATED },
    pretax_credit_amounts: null,
    pricing: { type: "price_details", unit_amount_decimal: null },
    quantity: 1,
    quantity_decimal: null,
    subscription: null,
    subtotal: 1000,
    taxes: null,
  } satisfies Stripe.InvoiceLineItem;
}

function invoice() {
  return {
    id: INVOICE_ID,
    object: "invoice",
    account_country: "US",
    account_name: null,
    account_tax_ids: null,
    amount_due: 1000,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 1000,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: false,
    automatic_tax: {
      enabled: false,
      liability: null,
      status: null,
      disabled_reason: null,
      provider: null,
    },
    automatically_finalizes_at: null,
    billing_reason: "manual" as Stripe.Invoice.BillingReason | null,
    collection_method: "charge_automatically",
    created: CREATED,
    currency: "usd",
    custom_fields: null,
    customer: CUSTOMER_ID,
    customer_account: null,
    customer_address: emptyAddress(),
    customer_email: null,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null as string | null,
    invoice_pdf: null as string | null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: list<Stripe.InvoiceLineItem>(`/v1/invoices/${INVOICE_ID}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null as string | null,
    on_behalf_of: null,
    parent: null as Stripe.Invoice.Parent | null,
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: CREATED,
    period_start: CREATED,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "draft" as Stripe.Invoice.Status | null,
    status_transitions: {
      finalized_at: null,
      marked_uncollectible_at: null,
      paid_at: null,
      voided_at: null,
    },
    subtotal: 1000,
    subtotal_excluding_tax: 1000,
    test_clock: null,
    total: 1000,
    total_discount_amounts: [],
    total_excluding_tax: 1000,
    total_pretax_credit_amounts: null,
    total_taxes: null,
    webhooks_delivered_at: null,
  } satisfies Stripe.Invoice;
}

function checkoutSession() {
  const sessionId = "cs_test_a1YS1URlnyQCN5fUUduORoQ7Pw41PJqDWkIVQCpJPqkfIhd6tVY8XB1OLY";
  return {
    id: sessionId,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: null,
    amount_total: null,
    automatic_tax: { enabled: false, liability: null, status: null, provider: null },
    allowed_payment_method_types: null,
    billing_address_collection: null,
    cancel_url: "https://example.com/cancel" as string | null,
    client_reference_id: null as string | null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: CREATED,
    currency: null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: null as string | null,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    discounts: null,
    expires_at: CREATED + 86_400,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {} as Stripe.Metadata | null,
    mode: "payment" as Stripe.Checkout.Session.Mode,
    origin_context: null,
    payment_intent: "pi_1PgafyB7WZ01zgkWSjxsAJo3" as string | null,
    payment_link: null,
    payment_method_collection: null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: "unpaid" as Stripe.Checkout.Session.PaymentStatus,
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open" as Stripe.Checkout.Session.Status | null,
    submit_type: null,
    subscription: null as string | null,
    success_url: "https://example.com/success" as string | null,
    total_details: null,
    ui_mode: null,
    url: `https://checkout.stripe.com/pay/c/${sessionId}` as string | null,
    wallet_options: null,
  } satisfies Stripe.Checkout.Session;
}

function billingPortalSession() {
  return {
    id: "bps_1Pgc7HB7WZ01zgkWNs8s9Auh",
    object: "billing_portal.session",
    configuration: "bpc_1Pgc7HB7WZ01zgkWxH2EPWRX",
    created: CREATED,
    customer: CUSTOMER_ID,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: "https://example.com/account" as string | null,
    url: "https://billing.stripe.com/p/session/test_YWNjdF8x",
  } satisfies Stripe.BillingPortal.Session;
}

function paymentMethod() {
  return {
    id: "pm_1Pgc75B7WZ01zgkWlHVgdEGJ",
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: {
      address: {
        city: "San Francisco",
        country: "US",
        line1: "1234 Fake Street",
        line2: null,
        postal_code: "94102",
        state: "CA",
      },
      email: "jenny@example.com",
      name: null,
      phone: "+15555555555",
      tax_id: null,
    },
    card: {
      brand: "visa",
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: "visa",
      exp_month: 8,
      exp_year: 2030,
      fingerprint: "AOB934RVNwzk6xtn",
      funding: "credit",
      generated_from: null,
      last4: "4242",
      networks: { available: ["visa"], preferred: null },
      regulated_status: null,
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: CREATED,
    customer: null as string | null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  } satisfies Stripe.PaymentMethod;
}

function meter() {
  return {
    id: "meter_123",
    object: "billing.meter",
    created: CREATED,
    customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
    default_aggregation: { formula: "sum" },
    display_name: "test-meter",
    event_name: "test-meter-event-name",
    event_time_window: null,
    livemode: false,
    status: "active" as Stripe.Billing.Meter.Status,
    status_transitions: { deactivated_at: null },
    updated: CREATED,
    value_settings: { event_payload_key: "value" },
  } satisfies Stripe.Billing.Meter;
}

function meterEvent() {
  return {
    object: "billing.meter_event",
    created: CREATED,
    event_name: "api_request",
    identifier: "1234-1234",
    livemode: false,
    payload: { stripe_customer_id: CUSTOMER_ID, value: "25" } as Record<string, string>,
    timestamp: CREATED,
  } satisfies Stripe.Billing.MeterEvent;
}

/** Shaped like Stripe's published invoice item example (API reference: "The Invoice Item object"). */
function invoiceItem() {
  return {
    id: "ii_1MtGUtLkdIwHu7ixBYwjAM00",
    object: "invoiceitem",
    amount: 1099,
    currency: "usd",
    customer: CUSTOMER_ID,
    customer_account: null,
    date: CREATED,
    description: null as string | null,
    discountable: true,
    discounts: [],
    invoice: null as string | null,
    livemode: false,
    metadata: {} as Record<string, string>,
    net_amount: 1099,
    parent: null as Stripe.InvoiceItem.Parent | null,
    period: { end: CREATED, start: CREATED },
    pricing: null,
    proration: false,
    proration_details: { credited_items: null, discount_amounts: [] },
    quantity: 1,
    quantity_decimal: Stripe.Decimal.from("1"),
    tax_rates: [],
    test_clock: null,
  } satisfies Stripe.InvoiceItem;
}

/** An event without its `type` and `data` (the server sets both, see `emit`). */
function eventEnvelope() {
  return {
    id: "evt_1Pgc76B7WZ01zgkWwyRHS12y",
    object: "event",
    api_version: Stripe.API_VERSION as string | null,
    created: CREATED,
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
  } satisfies Omit<Stripe.EventBase, "type" | "data">;
}

export const stripeFixtures = {
  customer,
  product,
  price,
  plan,
  subscriptionItem,
  subscription,
  invoiceLineItem,
  invoice,
  checkoutSession,
  billingPortalSession,
  paymentMethod,
  meter,
  meterEvent,
  invoiceItem,
  eventEnvelope,
};
