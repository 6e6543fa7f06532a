-- CreateEnum
CREATE TYPE "DemoBookingSource" AS ENUM ('CALENDLY', 'FORM');

-- CreateEnum
CREATE TYPE "DemoBookingStatus" AS ENUM ('REQUESTED', 'SCHEDULED', 'CANCELED');

-- CreateTable
CREATE TABLE "demo_bookings" (
    "id" TEXT NOT NULL,
    "source" "DemoBookingSource" NOT NULL,
    "status" "DemoBookingStatus" NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "company" TEXT,
    "notes" TEXT,
    "scheduled_start" TIMESTAMP(3),
    "scheduled_end" TIMESTAMP(3),
    "calendly_event_uri" TEXT,
    "calendly_invitee_uri" TEXT,
    "payload" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "demo_bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendly_events" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "booking_id" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendly_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "demo_bookings_calendly_invitee_uri_key" ON "demo_bookings"("calendly_invitee_uri");

-- CreateIndex
CREATE INDEX "demo_bookings_created_at_idx" ON "demo_bookings"("created_at" DESC);

-- CreateIndex
CREATE INDEX "demo_bookings_email_idx" ON "demo_bookings"("email");

-- CreateIndex
CREATE INDEX "calendly_events_booking_id_idx" ON "calendly_events"("booking_id");

-- A demo booking is a public lead, not tenant data: no organization_id, RLS on and no policy,
-- so plinth_app sees none of it. The public form (scope.asSystem), the Calendly webhook route
-- (the system client) and the operator console are the only paths in.
ALTER TABLE "demo_bookings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "calendly_events" ENABLE ROW LEVEL SECURITY;
