-- CreateEnum
CREATE TYPE "ApiProductVisibility" AS ENUM ('PUBLIC', 'PRIVATE');

-- CreateEnum
CREATE TYPE "ApiProductStatus" AS ENUM ('ACTIVE', 'DEPRECATED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "ApiUnitsRule" AS ENUM ('PER_CALL', 'HEADER');

-- CreateTable
CREATE TABLE "api_products" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "upstream_base_url" TEXT NOT NULL,
    "upstream_auth_header" TEXT NOT NULL DEFAULT 'authorization',
    "secret_key_version" INTEGER,
    "secret_nonce" BYTEA,
    "secret_ciphertext" BYTEA,
    "secret_auth_tag" BYTEA,
    "secret_hint" TEXT,
    "visibility" "ApiProductVisibility" NOT NULL DEFAULT 'PUBLIC',
    "status" "ApiProductStatus" NOT NULL DEFAULT 'ACTIVE',
    "sunset_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "api_products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_endpoints" (
    "id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "upstream_path" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rate_limit_per_minute" INTEGER,
    "price_per_call_micro_cents" BIGINT NOT NULL DEFAULT 0,
    "price_per_unit_micro_cents" BIGINT NOT NULL DEFAULT 0,
    "units_rule" "ApiUnitsRule" NOT NULL DEFAULT 'PER_CALL',
    "units_header" TEXT,
    "status" "ApiProductStatus" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "api_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_product_access" (
    "product_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_product_access_pkey" PRIMARY KEY ("product_id","organization_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_products_slug_key" ON "api_products"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_endpoints_product_id_method_path_key" ON "api_endpoints"("product_id", "method", "path");

-- CreateIndex
CREATE INDEX "api_product_access_organization_id_idx" ON "api_product_access"("organization_id");

-- AddForeignKey
ALTER TABLE "api_endpoints" ADD CONSTRAINT "api_endpoints_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "api_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_product_access" ADD CONSTRAINT "api_product_access_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "api_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_product_access" ADD CONSTRAINT "api_product_access_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- api_products and api_endpoints are the operator's (platform-level, no organization_id):
-- written only through the operator console (system client), read by the gateway and by
-- buyers' catalog pages. api_product_access is tenant-owned: a tenant sees its own grants.
ALTER TABLE "api_product_access" ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_product_access_tenant ON "api_product_access"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());

-- The gateway's proxy reloads its catalog on this channel (LISTEN/NOTIFY, like key revocation).
CREATE OR REPLACE FUNCTION api_catalog_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_catalog_changed', TG_TABLE_NAME);
  RETURN NULL;
END $$;
CREATE TRIGGER api_products_notify AFTER INSERT OR UPDATE OR DELETE ON "api_products"
  FOR EACH STATEMENT EXECUTE FUNCTION api_catalog_notify();
CREATE TRIGGER api_endpoints_notify AFTER INSERT OR UPDATE OR DELETE ON "api_endpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION api_catalog_notify();
CREATE TRIGGER api_product_access_notify AFTER INSERT OR UPDATE OR DELETE ON "api_product_access"
  FOR EACH STATEMENT EXECUTE FUNCTION api_catalog_notify();
