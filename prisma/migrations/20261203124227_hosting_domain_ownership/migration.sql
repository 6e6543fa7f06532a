-- Custom domains (modules/hosting/src/domains.ts, docs/products/managed-hosting.md): a hostname
-- may be claimed (PENDING/FAILED) by several organizations — the first to add it no longer
-- blocks its real owner — but VERIFIED in at most one workspace platform-wide (the partial
-- unique index at the end, written by hand: Prisma's schema cannot state it). Within one
-- organization a hostname is added once. EXPIRED and missed_checks serve the scheduled checks
-- (hosting.checkDomains). The table keeps its RLS policy (20261202140000_hosting_tables).
-- AlterEnum
ALTER TYPE "HostingDomainStatus" ADD VALUE 'EXPIRED';

-- DropIndex
DROP INDEX "hosting_domains_hostname_key";

-- DropIndex
DROP INDEX "hosting_domains_organization_id_idx";

-- AlterTable
ALTER TABLE "hosting_domains" ADD COLUMN     "missed_checks" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "hosting_domains_status_last_checked_at_idx" ON "hosting_domains"("status", "last_checked_at");

-- CreateIndex
CREATE UNIQUE INDEX "hosting_domains_organization_id_hostname_key" ON "hosting_domains"("organization_id", "hostname");

-- One verified holder per hostname (the column holds the normalised name: lower case, IDNA, no
-- trailing dot). Rows were globally unique until now, so no existing data conflicts.
CREATE UNIQUE INDEX "hosting_domains_verified_hostname_key" ON "hosting_domains"("hostname") WHERE "status" = 'VERIFIED';
