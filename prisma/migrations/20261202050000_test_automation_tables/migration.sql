-- CreateEnum
CREATE TYPE "TestKind" AS ENUM ('HTTP', 'BROWSER');

-- CreateEnum
CREATE TYPE "TestRunTrigger" AS ENUM ('MANUAL', 'SCHEDULE', 'CI');

-- CreateEnum
CREATE TYPE "TestRunStatus" AS ENUM ('QUEUED', 'RUNNING', 'PASSED', 'FAILED', 'CANCELED');

-- CreateEnum
CREATE TYPE "TestResultStatus" AS ENUM ('PASS', 'FAIL', 'ERROR', 'SKIPPED', 'FLAKY');

-- CreateTable
CREATE TABLE "test_environments" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "base_url" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "secret_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "test_environments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_suites" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "schedule" TEXT,
    "schedule_environment_id" TEXT,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER NOT NULL DEFAULT 4,
    "run_timeout_ms" INTEGER NOT NULL DEFAULT 1800000,
    "last_scheduled_for" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "test_suites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_cases" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "suite_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "TestKind" NOT NULL,
    "definition" JSONB NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "test_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_watchers" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_watchers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_runs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "suite_id" TEXT,
    "test_case_id" TEXT,
    "environment_id" TEXT,
    "run_id" TEXT NOT NULL,
    "trigger" "TestRunTrigger" NOT NULL,
    "status" "TestRunStatus" NOT NULL DEFAULT 'QUEUED',
    "suite_name" TEXT NOT NULL,
    "environment_name" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "errored" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "flaky" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER,
    "reference" TEXT,
    "created_by_id" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_results" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "test_run_id" TEXT NOT NULL,
    "test_case_id" TEXT,
    "name" TEXT NOT NULL,
    "kind" "TestKind" NOT NULL,
    "status" "TestResultStatus" NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "error" TEXT,
    "detail" JSONB NOT NULL,
    "artifacts" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "test_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "test_environments_organization_id_idx" ON "test_environments"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "test_environments_project_id_name_key" ON "test_environments"("project_id", "name");

-- CreateIndex
CREATE INDEX "test_suites_organization_id_idx" ON "test_suites"("organization_id");

-- CreateIndex
CREATE INDEX "test_suites_schedule_idx" ON "test_suites"("schedule");

-- CreateIndex
CREATE UNIQUE INDEX "test_suites_project_id_name_key" ON "test_suites"("project_id", "name");

-- CreateIndex
CREATE INDEX "test_cases_organization_id_idx" ON "test_cases"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "test_cases_suite_id_name_key" ON "test_cases"("suite_id", "name");

-- CreateIndex
CREATE INDEX "test_watchers_organization_id_idx" ON "test_watchers"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "test_watchers_project_id_email_key" ON "test_watchers"("project_id", "email");

-- CreateIndex
CREATE UNIQUE INDEX "test_runs_run_id_key" ON "test_runs"("run_id");

-- CreateIndex
CREATE INDEX "test_runs_organization_id_created_at_idx" ON "test_runs"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "test_runs_project_id_created_at_idx" ON "test_runs"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "test_results_organization_id_test_case_id_created_at_idx" ON "test_results"("organization_id", "test_case_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "test_results_test_run_id_test_case_id_key" ON "test_results"("test_run_id", "test_case_id");

-- AddForeignKey
ALTER TABLE "test_environments" ADD CONSTRAINT "test_environments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_environments" ADD CONSTRAINT "test_environments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_suites" ADD CONSTRAINT "test_suites_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_suites" ADD CONSTRAINT "test_suites_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_suites" ADD CONSTRAINT "test_suites_schedule_environment_id_fkey" FOREIGN KEY ("schedule_environment_id") REFERENCES "test_environments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_suite_id_fkey" FOREIGN KEY ("suite_id") REFERENCES "test_suites"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_watchers" ADD CONSTRAINT "test_watchers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_watchers" ADD CONSTRAINT "test_watchers_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_runs" ADD CONSTRAINT "test_runs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_runs" ADD CONSTRAINT "test_runs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_runs" ADD CONSTRAINT "test_runs_suite_id_fkey" FOREIGN KEY ("suite_id") REFERENCES "test_suites"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_runs" ADD CONSTRAINT "test_runs_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "test_environments"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_runs" ADD CONSTRAINT "test_runs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_results" ADD CONSTRAINT "test_results_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "test_results" ADD CONSTRAINT "test_results_test_run_id_fkey" FOREIGN KEY ("test_run_id") REFERENCES "test_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "test_environments" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_environments_tenant ON "test_environments"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "test_suites" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_suites_tenant ON "test_suites"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "test_cases" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_cases_tenant ON "test_cases"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "test_watchers" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_watchers_tenant ON "test_watchers"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "test_runs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_runs_tenant ON "test_runs"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "test_results" ENABLE ROW LEVEL SECURITY;
CREATE POLICY test_results_tenant ON "test_results"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
