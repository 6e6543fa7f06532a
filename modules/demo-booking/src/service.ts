// The demo-booking services. A booking is a public lead, not tenant data (demo_bookings has
// RLS on and no policy): the form's request and the operator's list reach it through
// scope.asSystem, each with its reason. Answers are explicit shapes — never the stored
// Calendly payload (it carries the invitee's cancel and reschedule links).
import type * as z from "zod/mini";
import { coreEnv } from "@plinth/core/env";
import { AppError } from "@plinth/core/errors";
import type { Prisma } from "@plinth/db";
import { sendEmail } from "@plinth/email";
import type { RequestScope, UserScope } from "@plinth/platform";
import { createMemoryStore, createRateLimiter, type RateLimitPolicy } from "@plinth/rate-limit";
import type { listDemoBookingsInput, requestDemoInput } from "./contract.ts";
import { operatorNotice, requesterConfirmation } from "./emails.ts";
import { demoBookingEnv } from "./env.ts";

/** Requests per client IP: a person asks once or twice; more is a script filling our inboxes. */
export const DEMO_REQUESTS_PER_IP: RateLimitPolicy = {
  name: "demo-request",
  limit: 5,
  windowSeconds: 60 * 60,
};

// Per process (memory): the web app has no shared Redis. Several instances each allow the
// limit; that still bounds the emails one client can make us send.
const limiter = createRateLimiter({ store: createMemoryStore() });

export const bookingSelect = {
  id: true,
  source: true,
  status: true,
  name: true,
  email: true,
  company: true,
  notes: true,
  scheduledStart: true,
  scheduledEnd: true,
  calendlyEventUri: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.DemoBookingSelect;

/**
 * The built-in form: rate limited per client IP, then the REQUESTED booking and its two
 * outbox emails (operator, requester) in one transaction — both are sent or neither.
 */
export async function requestDemo(
  scope: RequestScope,
  input: z.output<typeof requestDemoInput>,
): Promise<{ id: string; status: "REQUESTED" }> {
  const limit = await limiter.consume(
    `demo-request:ip:${scope.ip ?? "unknown"}`,
    DEMO_REQUESTS_PER_IP,
  );
  if (!limit.allowed) {
    throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: limit.retryAfterSeconds });
  }
  const { DEMO_BOOKING_NOTIFY_EMAIL } = demoBookingEnv();
  const request = {
    name: input.name,
    email: input.email,
    company: input.company ?? null,
    notes: input.message ?? null,
  };
  const consoleUrl = new URL("/admin/demo-bookings", coreEnv().APP_URL).toString();
  const db = scope.asSystem("demo booking form: a public lead and its emails (no tenant)");
  return db.$transaction(async (tx) => {
    const booking = await tx.demoBooking.create({
      data: { source: "FORM", status: "REQUESTED", ...request },
      select: { id: true },
    });
    await sendEmail(tx, { to: DEMO_BOOKING_NOTIFY_EMAIL, ...operatorNotice(request, consoleUrl) });
    await sendEmail(tx, { to: request.email, ...requesterConfirmation(request) });
    return { id: booking.id, status: "REQUESTED" as const };
  });
}

/** The operator console's list: newest first, keyset-paginated by (createdAt, id). */
export async function listDemoBookings(
  scope: UserScope,
  input: z.output<typeof listDemoBookingsInput>,
) {
  const db = scope.asSystem("operator console: demo bookings (public leads, no tenant)");
  const rows = await db.demoBooking.findMany({
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: bookingSelect,
  });
  const items = rows.slice(0, input.limit);
  return {
    items,
    nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null,
  };
}
