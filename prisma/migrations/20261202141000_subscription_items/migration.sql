-- Several priced items on one subscription, with proration (docs/billing.md, "Subscription
-- items and proration").
-- AlterTable
ALTER TABLE "invoices" ADD COLUMN "lines" JSONB;

-- CreateTable
CREATE TABLE "subscription_items" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "item_key" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_amount" INTEGER NOT NULL,
    "provider_item_id" TEXT,
    "provider_price_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscription_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscription_items_provider_item_id_key" ON "subscription_items"("provider_item_id");

-- CreateIndex
CREATE INDEX "subscription_items_organization_id_idx" ON "subscription_items"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "subscription_items_subscription_id_item_key_key" ON "subscription_items"("subscription_id", "item_key");

-- AddForeignKey
ALTER TABLE "subscription_items" ADD CONSTRAINT "subscription_items_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription_items" ADD CONSTRAINT "subscription_items_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "subscription_items" ENABLE ROW LEVEL SECURITY;
CREATE POLICY subscription_items_tenant ON "subscription_items"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
