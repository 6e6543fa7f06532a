-- API keys for the gateway (docs/api-keys.md) and exact usage metering (docs/metering.md):
--   1. api_keys: environment, last four, per-key rate limit, rotation with a grace window, and
--      a trigger that NOTIFYs `api_keys` with the key's id when anything but last use changes;
--   2. usage_events rebuilt as a table partitioned by month, with the gateway's fields, and the
--      functions that create partitions ahead and drop those past retention;
--   3. usage_rollups_hourly / usage_rollups_daily and the rollup job's watermark.
-- Started from `pnpm db:migration`; partitioning, triggers, functions and RLS are by hand.

-- ─── 1. API keys ──────────────────────────────────────────────────────────────────────────

-- CreateEnum
CREATE TYPE "ApiKeyEnvironment" AS ENUM ('LIVE', 'TEST');

-- The display prefix is no longer unique (it is the type and 4 random characters).
DROP INDEX "api_keys_prefix_key";

-- AlterTable (last_four: '' for rows made before this migration; insertApiKey always sets it)
ALTER TABLE "api_keys" ADD COLUMN     "environment" "ApiKeyEnvironment" NOT NULL DEFAULT 'LIVE',
ADD COLUMN     "grace_ends_at" TIMESTAMP(3),
ADD COLUMN     "last_four" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "rate_limit_requests" INTEGER,
ADD COLUMN     "rate_limit_window_seconds" INTEGER,
ADD COLUMN     "rotated_from_id" TEXT;

-- A per-key rate limit is both numbers or neither, and positive.
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit_check" CHECK (
  ("rate_limit_requests" IS NULL) = ("rate_limit_window_seconds" IS NULL)
  AND ("rate_limit_requests" IS NULL OR ("rate_limit_requests" > 0 AND "rate_limit_window_seconds" > 0))
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_rotated_from_id_key" ON "api_keys"("rotated_from_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rotated_from_id_fkey" FOREIGN KEY ("rotated_from_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Cache invalidation: every gateway LISTENs on `api_keys` (packages/db/src/notifications.ts)
-- and drops the key from its verifier cache. The payload is the key's id, never its hash.
-- Last-use updates (written in batches) change nothing a verifier caches: no notification.
CREATE FUNCTION api_keys_notify_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM pg_notify('api_keys', OLD.id);
    RETURN NULL;
  END
  $$;
CREATE TRIGGER api_keys_notify_update AFTER UPDATE ON "api_keys"
  FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION api_keys_notify_change();
CREATE TRIGGER api_keys_notify_delete AFTER DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION api_keys_notify_change();

-- ─── 2. usage_events, partitioned by month ────────────────────────────────────────────────

-- Until now only seeds wrote usage events: the table is rebuilt and its rows copied (new ids;
-- the unused idempotency_key column goes: the event id is the idempotency key now).
ALTER TABLE "usage_events" RENAME TO "usage_events_unpartitioned";
ALTER TABLE "usage_events_unpartitioned" RENAME CONSTRAINT "usage_events_pkey" TO "usage_events_unpartitioned_pkey";
DROP INDEX "usage_events_idempotency_key_key";
DROP INDEX "usage_events_organization_id_meter_occurred_at_idx";

CREATE TABLE "usage_events" (
    "id" UUID NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "organization_id" TEXT NOT NULL,
    "api_key_id" TEXT,
    "meter" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "route" TEXT,
    "method" TEXT,
    "status" SMALLINT,
    "latency_ms" REAL,
    "cost_micro_cents" BIGINT NOT NULL DEFAULT 0,
    "ip" INET,
    -- The writing transaction's id (xid8 as bigint): the rollup job's watermark.
    "ingest_xid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,

    CONSTRAINT "usage_events_pkey" PRIMARY KEY ("id", "occurred_at")
) PARTITION BY RANGE ("occurred_at");

-- CreateIndex
CREATE INDEX "usage_events_organization_id_occurred_at_idx" ON "usage_events"("organization_id", "occurred_at");

-- CreateIndex (BRIN: xids grow with insertion order, so a few pages summarise a partition)
CREATE INDEX "usage_events_ingest_xid_idx" ON "usage_events" USING BRIN ("ingest_xid");

-- AddForeignKey
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only, through the parent (docs/tenancy.md). Partitions get
-- RLS without a policy, so plinth_app cannot read one directly.
ALTER TABLE "usage_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_events_tenant ON "usage_events"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());

-- usage_events_2026_12 and so on: one partition per UTC calendar month.
CREATE FUNCTION usage_events_partition_name(month_start timestamp) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'usage_events_' || to_char(month_start, 'YYYY_MM') $$;

-- Creates the missing monthly partitions from the month of `from_ts` to the month of `to_ts`
-- (both included) and returns their names. Called by the worker's usage.partitions job (months
-- ahead) and by the metering writer when a row finds no partition.
CREATE FUNCTION usage_events_create_partitions(from_ts timestamp, to_ts timestamp)
  RETURNS SETOF text
  LANGUAGE plpgsql
  AS $$
  DECLARE
    month_start timestamp := date_trunc('month', from_ts);
    partition_name text;
  BEGIN
    -- Two callers at once (two workers, a writer): one creates, the other sees it exists.
    PERFORM pg_advisory_xact_lock(hashtext('usage_events_partitions'));
    WHILE month_start <= date_trunc('month', to_ts) LOOP
      partition_name := usage_events_partition_name(month_start);
      IF to_regclass(format('public.%I', partition_name)) IS NULL THEN
        EXECUTE format(
          'CREATE TABLE public.%I PARTITION OF public.usage_events FOR VALUES FROM (%L) TO (%L)',
          partition_name, month_start, month_start + interval '1 month');
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', partition_name);
        RETURN NEXT partition_name;
      END IF;
      month_start := month_start + interval '1 month';
    END LOOP;
  END
  $$;

-- Drops the partitions whose month ended `keep_months` or more months before the current
-- month began (keep_months = 3 in December keeps September to December), and returns their
-- names. A partition still holding events the rollup job has not read (at or above its
-- watermark) is kept until the job has caught up: the rollups must see every event.
CREATE FUNCTION usage_events_drop_partitions(keep_months integer, now_ts timestamp)
  RETURNS SETOF text
  LANGUAGE plpgsql
  AS $$
  DECLARE
    cutoff timestamp := date_trunc('month', now_ts) - make_interval(months => keep_months);
    watermark bigint;
    partition record;
    unread boolean;
  BEGIN
    IF keep_months < 1 THEN
      RAISE EXCEPTION 'keep_months must be at least 1 (got %)', keep_months;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('usage_events_partitions'));
    SELECT xid_watermark INTO watermark FROM usage_rollup_state WHERE name = 'usage_events';
    FOR partition IN
      SELECT c.relname,
             to_timestamp(substring(c.relname FROM '^usage_events_(\d{4}_\d{2})$'), 'YYYY_MM')::timestamp
               AS month_start
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'public.usage_events'::regclass
        AND c.relname ~ '^usage_events_\d{4}_\d{2}$'
      ORDER BY 2
    LOOP
      CONTINUE WHEN partition.month_start + interval '1 month' > cutoff;
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE ingest_xid >= %s)',
        partition.relname, COALESCE(watermark, 0)) INTO unread;
      IF unread THEN
        RAISE NOTICE 'keeping %: it holds events the rollups have not read yet', partition.relname;
        CONTINUE;
      END IF;
      EXECUTE format('DROP TABLE public.%I', partition.relname);
      RETURN NEXT partition.relname;
    END LOOP;
  END
  $$;

-- Partitions for the existing rows and the months around now, then the rows themselves.
SELECT usage_events_create_partitions(
  LEAST(COALESCE((SELECT min(occurred_at) FROM "usage_events_unpartitioned"), now()), now())::timestamp,
  (GREATEST(COALESCE((SELECT max(occurred_at) FROM "usage_events_unpartitioned"), now()), now()) + interval '2 months')::timestamp
);
INSERT INTO "usage_events" ("id", "occurred_at", "organization_id", "api_key_id", "meter", "quantity")
  SELECT gen_random_uuid(), "occurred_at", "organization_id", "api_key_id", "meter", "quantity"
  FROM "usage_events_unpartitioned";
DROP TABLE "usage_events_unpartitioned";

-- ─── 3. Rollups ───────────────────────────────────────────────────────────────────────────

-- CreateTable
CREATE TABLE "usage_rollups_hourly" (
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL DEFAULT '',
    "meter" TEXT NOT NULL,
    "route" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT '',
    "status_class" SMALLINT NOT NULL DEFAULT 0,
    "calls" BIGINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "cost_micro_cents" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "latency_count" BIGINT NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_histogram" BIGINT[],

    CONSTRAINT "usage_rollups_hourly_pkey" PRIMARY KEY ("organization_id","bucket_start","meter","api_key_id","route","method","status_class")
);

-- CreateTable
CREATE TABLE "usage_rollups_daily" (
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "organization_id" TEXT NOT NULL,
    "api_key_id" TEXT NOT NULL DEFAULT '',
    "meter" TEXT NOT NULL,
    "route" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL DEFAULT '',
    "status_class" SMALLINT NOT NULL DEFAULT 0,
    "calls" BIGINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "cost_micro_cents" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "latency_count" BIGINT NOT NULL,
    "latency_sum_ms" DOUBLE PRECISION NOT NULL,
    "latency_histogram" BIGINT[],

    CONSTRAINT "usage_rollups_daily_pkey" PRIMARY KEY ("organization_id","bucket_start","meter","api_key_id","route","method","status_class")
);

-- CreateTable
CREATE TABLE "usage_rollup_state" (
    "name" TEXT NOT NULL,
    "xid_watermark" BIGINT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_rollup_state_pkey" PRIMARY KEY ("name")
);

-- AddForeignKey
ALTER TABLE "usage_rollups_hourly" ADD CONSTRAINT "usage_rollups_hourly_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_rollups_daily" ADD CONSTRAINT "usage_rollups_daily_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only.
ALTER TABLE "usage_rollups_hourly" ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_rollups_hourly_tenant ON "usage_rollups_hourly"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "usage_rollups_daily" ENABLE ROW LEVEL SECURITY;
CREATE POLICY usage_rollups_daily_tenant ON "usage_rollups_daily"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());

-- The job's watermark is system-only: RLS on and no policy, so plinth_app sees nothing.
ALTER TABLE "usage_rollup_state" ENABLE ROW LEVEL SECURITY;

-- Element-wise sum of two latency histograms (a missing side counts as zeros), and the
-- aggregate over many: how rollups merge.
CREATE FUNCTION usage_histogram_add(a bigint[], b bigint[]) RETURNS bigint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY i)
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
  $$;
CREATE AGGREGATE usage_histogram_sum(bigint[]) (SFUNC = usage_histogram_add, STYPE = bigint[]);
