-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "started_at" TIMESTAMP(3);

-- Existing paid subscriptions: they began with their current period at the latest.
UPDATE "subscriptions"
SET "started_at" = COALESCE("current_period_start", "created_at")
WHERE "plan_key" <> 'trial' AND "status" <> 'TRIALING';
