-- AlterTable
ALTER TABLE "rate_limit_buckets" ADD COLUMN     "blocked_until" TIMESTAMP(3);
