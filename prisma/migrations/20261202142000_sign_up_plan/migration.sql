-- The paid plan chosen at sign-up, kept until its checkout completes (docs/plans.md).
ALTER TABLE "organizations" ADD COLUMN "sign_up_plan_key" TEXT;
