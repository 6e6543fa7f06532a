-- Custom domains of hosting workspaces (modules/hosting/src/domains.ts): the TXT check's status
-- and outcome, and the DNS record created in Plinth's zone once verified. The table itself and
-- its tenant policy (hosting_domains_tenant, organization_id = app_organization_id()) came with
-- 20261202140000_hosting_tables; re-enabling RLS below is a no-op kept to state it here.
-- CreateEnum
CREATE TYPE "HostingDomainStatus" AS ENUM ('PENDING', 'VERIFIED', 'FAILED');

-- AlterTable
ALTER TABLE "hosting_domains" ADD COLUMN     "created_by_id" TEXT,
ADD COLUMN     "dns_provider" TEXT,
ADD COLUMN     "dns_record_name" TEXT,
ADD COLUMN     "dns_record_type" TEXT,
ADD COLUMN     "last_checked_at" TIMESTAMP(3),
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "provider_record_id" TEXT,
ADD COLUMN     "status" "HostingDomainStatus" NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Rows verified before the status column existed.
UPDATE "hosting_domains" SET "status" = 'VERIFIED' WHERE "verified_at" IS NOT NULL;

-- Row-level security (docs/tenancy.md), as on every hosting table.
ALTER TABLE "hosting_domains" ENABLE ROW LEVEL SECURITY;
