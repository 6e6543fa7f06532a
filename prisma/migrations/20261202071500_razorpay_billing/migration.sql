-- Razorpay as a second billing provider (docs/billing.md, Razorpay).
-- AlterEnum
ALTER TYPE "BillingProvider" ADD VALUE 'RAZORPAY';

-- The webhook inbox holds both providers' events.
ALTER TABLE "stripe_events" ADD COLUMN "provider" "BillingProvider" NOT NULL DEFAULT 'STRIPE';

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN "razorpay_invoice_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "invoices_razorpay_invoice_id_key" ON "invoices"("razorpay_invoice_id");

-- CreateTable
CREATE TABLE "razorpay_subscriptions" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "plan_key" TEXT NOT NULL,
    "interval" "BillingInterval" NOT NULL,
    "razorpay_plan_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "short_url" TEXT,
    "cancel_at_cycle_end" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "razorpay_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "razorpay_subscriptions_organization_id_created_at_idx" ON "razorpay_subscriptions"("organization_id", "created_at" DESC);

-- AddForeignKey
ALTER TABLE "razorpay_subscriptions" ADD CONSTRAINT "razorpay_subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "razorpay_subscriptions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY razorpay_subscriptions_tenant ON "razorpay_subscriptions"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
