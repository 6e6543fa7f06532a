-- CreateEnum
CREATE TYPE "HostingWorkspaceState" AS ENUM ('REQUESTED', 'PROVISIONING', 'READY', 'UPDATING', 'DESTROYING', 'DESTROYED', 'FAILED');

-- CreateEnum
CREATE TYPE "HostingRunAction" AS ENUM ('PROVISION', 'UPDATE', 'DESTROY');

-- CreateEnum
CREATE TYPE "HostingStepStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "hosting_workspaces" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "app" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'local',
    "state" "HostingWorkspaceState" NOT NULL DEFAULT 'REQUESTED',
    "active_run_id" TEXT,
    "outputs" JSONB NOT NULL DEFAULT '{}',
    "failed_step" TEXT,
    "error" TEXT,
    "created_by_id" TEXT,
    "ready_at" TIMESTAMP(3),
    "destroyed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "hosting_workspaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosting_runs" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "action" "HostingRunAction" NOT NULL,
    "target" JSONB NOT NULL DEFAULT '{}',
    "failed_step" TEXT,
    "alerted_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "hosting_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosting_run_steps" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "hosting_run_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" "HostingStepStatus" NOT NULL DEFAULT 'RUNNING',
    "output" TEXT NOT NULL DEFAULT '',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "hosting_run_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosting_domains" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "verification_token" TEXT NOT NULL,
    "verified_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hosting_domains_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "hosting_workspaces_active_run_id_key" ON "hosting_workspaces"("active_run_id");

-- CreateIndex
CREATE INDEX "hosting_workspaces_organization_id_created_at_idx" ON "hosting_workspaces"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "hosting_runs_run_id_key" ON "hosting_runs"("run_id");

-- CreateIndex
CREATE INDEX "hosting_runs_workspace_id_created_at_idx" ON "hosting_runs"("workspace_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "hosting_runs_organization_id_idx" ON "hosting_runs"("organization_id");

-- CreateIndex
CREATE INDEX "hosting_run_steps_organization_id_idx" ON "hosting_run_steps"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "hosting_run_steps_hosting_run_id_name_key" ON "hosting_run_steps"("hosting_run_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "hosting_domains_hostname_key" ON "hosting_domains"("hostname");

-- CreateIndex
CREATE INDEX "hosting_domains_organization_id_idx" ON "hosting_domains"("organization_id");

-- CreateIndex
CREATE INDEX "hosting_domains_workspace_id_idx" ON "hosting_domains"("workspace_id");

-- AddForeignKey
ALTER TABLE "hosting_workspaces" ADD CONSTRAINT "hosting_workspaces_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_runs" ADD CONSTRAINT "hosting_runs_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_runs" ADD CONSTRAINT "hosting_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "hosting_workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_runs" ADD CONSTRAINT "hosting_runs_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_run_steps" ADD CONSTRAINT "hosting_run_steps_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_run_steps" ADD CONSTRAINT "hosting_run_steps_hosting_run_id_fkey" FOREIGN KEY ("hosting_run_id") REFERENCES "hosting_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_domains" ADD CONSTRAINT "hosting_domains_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hosting_domains" ADD CONSTRAINT "hosting_domains_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "hosting_workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (docs/tenancy.md): every hosting table is the organization's own.
ALTER TABLE "hosting_workspaces" ENABLE ROW LEVEL SECURITY;
CREATE POLICY hosting_workspaces_tenant ON "hosting_workspaces"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "hosting_runs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY hosting_runs_tenant ON "hosting_runs"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "hosting_run_steps" ENABLE ROW LEVEL SECURITY;
CREATE POLICY hosting_run_steps_tenant ON "hosting_run_steps"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "hosting_domains" ENABLE ROW LEVEL SECURITY;
CREATE POLICY hosting_domains_tenant ON "hosting_domains"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
