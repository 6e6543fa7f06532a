-- CreateEnum
CREATE TYPE "AiTaskStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "ai_task_templates" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "system_prompt" TEXT NOT NULL DEFAULT '',
    "prompt_template" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '[]',
    "temperature" DOUBLE PRECISION,
    "max_tokens" INTEGER,
    "output_schema" JSONB,
    "archived_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ai_task_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_task_batches" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_task_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_tasks" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "template_id" TEXT NOT NULL,
    "batch_id" TEXT,
    "input" JSONB NOT NULL,
    "status" "AiTaskStatus" NOT NULL DEFAULT 'QUEUED',
    "result" JSONB,
    "result_text" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "provider" TEXT NOT NULL,
    "offline" BOOLEAN NOT NULL DEFAULT false,
    "key_source" TEXT NOT NULL DEFAULT 'none',
    "model" TEXT NOT NULL,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "tokens_estimated" BOOLEAN NOT NULL DEFAULT false,
    "cost_micro_cents" BIGINT,
    "latency_ms" INTEGER,
    "time_to_first_token_ms" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotency_key" TEXT,
    "cancel_requested_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ai_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ai_task_chunks" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_task_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ai_task_templates_organization_id_created_at_idx" ON "ai_task_templates"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ai_task_templates_organization_id_name_key" ON "ai_task_templates"("organization_id", "name");

-- CreateIndex
CREATE INDEX "ai_task_batches_organization_id_created_at_idx" ON "ai_task_batches"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "ai_tasks_organization_id_created_at_idx" ON "ai_tasks"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "ai_tasks_batch_id_idx" ON "ai_tasks"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "ai_tasks_organization_id_idempotency_key_key" ON "ai_tasks"("organization_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "ai_task_chunks_task_id_seq_key" ON "ai_task_chunks"("task_id", "seq");

-- AddForeignKey
ALTER TABLE "ai_task_templates" ADD CONSTRAINT "ai_task_templates_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_task_batches" ADD CONSTRAINT "ai_task_batches_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_task_batches" ADD CONSTRAINT "ai_task_batches_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "ai_task_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_tasks" ADD CONSTRAINT "ai_tasks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_tasks" ADD CONSTRAINT "ai_tasks_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "ai_task_templates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_tasks" ADD CONSTRAINT "ai_tasks_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ai_task_batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_task_chunks" ADD CONSTRAINT "ai_task_chunks_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_task_chunks" ADD CONSTRAINT "ai_task_chunks_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "ai_tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md).
ALTER TABLE "ai_task_templates" ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_task_templates_tenant ON "ai_task_templates"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "ai_task_batches" ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_task_batches_tenant ON "ai_task_batches"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "ai_tasks" ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_tasks_tenant ON "ai_tasks"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "ai_task_chunks" ENABLE ROW LEVEL SECURITY;
CREATE POLICY ai_task_chunks_tenant ON "ai_task_chunks"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
