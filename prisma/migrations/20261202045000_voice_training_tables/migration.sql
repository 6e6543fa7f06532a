-- CreateEnum
CREATE TYPE "PracticeDifficulty" AS ENUM ('EASY', 'MEDIUM', 'HARD');

-- CreateEnum
CREATE TYPE "PracticeSessionStatus" AS ENUM ('PENDING', 'LIVE', 'ENDED');

-- CreateEnum
CREATE TYPE "PracticeEndReason" AS ENUM ('USER', 'SILENCE', 'QUOTA', 'DISCONNECT', 'ERROR');

-- CreateEnum
CREATE TYPE "PracticeSpeaker" AS ENUM ('TRAINEE', 'PROSPECT');

-- CreateEnum
CREATE TYPE "MinuteEntryKind" AS ENUM ('GRANT', 'USAGE', 'ADJUSTMENT');

-- CreateTable
CREATE TABLE "practice_scenarios" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "persona" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "objections" JSONB NOT NULL DEFAULT '[]',
    "goals" JSONB NOT NULL DEFAULT '[]',
    "difficulty" "PracticeDifficulty" NOT NULL DEFAULT 'MEDIUM',
    "rubric" JSONB NOT NULL,
    "archived_at" TIMESTAMP(3),
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "practice_scenarios_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_sessions" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "scenario_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "PracticeSessionStatus" NOT NULL DEFAULT 'PENDING',
    "end_reason" "PracticeEndReason",
    "ticket_hash" TEXT,
    "ticket_expires_at" TIMESTAMP(3),
    "stt_provider" TEXT,
    "llm_provider" TEXT,
    "tts_provider" TEXT,
    "audio_ms" INTEGER NOT NULL DEFAULT 0,
    "minutes_charged" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3),
    "last_activity_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_transcript_segments" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "speaker" "PracticeSpeaker" NOT NULL,
    "text" TEXT NOT NULL,
    "words" JSONB NOT NULL DEFAULT '[]',
    "start_ms" INTEGER NOT NULL,
    "end_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_transcript_segments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_recordings" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "audio" BYTEA NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_recordings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_feedback" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "analysis_version" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "offline" BOOLEAN NOT NULL,
    "model" TEXT,
    "overall_score" DOUBLE PRECISION,
    "talk_time_ms" INTEGER NOT NULL,
    "words_per_minute" DOUBLE PRECISION NOT NULL,
    "fillers_per_minute" DOUBLE PRECISION NOT NULL,
    "talk_listen_ratio" DOUBLE PRECISION,
    "questions" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "skills" JSONB NOT NULL DEFAULT '[]',
    "summary" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practice_minute_ledger" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT,
    "session_id" TEXT,
    "kind" "MinuteEntryKind" NOT NULL,
    "minutes" INTEGER NOT NULL,
    "overage" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "practice_minute_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "practice_scenarios_organization_id_created_at_idx" ON "practice_scenarios"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "practice_scenarios_organization_id_name_key" ON "practice_scenarios"("organization_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "practice_sessions_ticket_hash_key" ON "practice_sessions"("ticket_hash");

-- CreateIndex
CREATE INDEX "practice_sessions_organization_id_created_at_idx" ON "practice_sessions"("organization_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "practice_sessions_organization_id_user_id_created_at_idx" ON "practice_sessions"("organization_id", "user_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "practice_transcript_segments_session_id_seq_key" ON "practice_transcript_segments"("session_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "practice_recordings_session_id_key" ON "practice_recordings"("session_id");

-- CreateIndex
CREATE UNIQUE INDEX "practice_feedback_session_id_revision_key" ON "practice_feedback"("session_id", "revision");

-- CreateIndex
CREATE INDEX "practice_minute_ledger_organization_id_user_id_created_at_idx" ON "practice_minute_ledger"("organization_id", "user_id", "created_at");

-- CreateIndex
CREATE INDEX "practice_minute_ledger_session_id_idx" ON "practice_minute_ledger"("session_id");

-- AddForeignKey
ALTER TABLE "practice_scenarios" ADD CONSTRAINT "practice_scenarios_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_sessions" ADD CONSTRAINT "practice_sessions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_sessions" ADD CONSTRAINT "practice_sessions_scenario_id_fkey" FOREIGN KEY ("scenario_id") REFERENCES "practice_scenarios"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_transcript_segments" ADD CONSTRAINT "practice_transcript_segments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_transcript_segments" ADD CONSTRAINT "practice_transcript_segments_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "practice_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_recordings" ADD CONSTRAINT "practice_recordings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_recordings" ADD CONSTRAINT "practice_recordings_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "practice_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_feedback" ADD CONSTRAINT "practice_feedback_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_feedback" ADD CONSTRAINT "practice_feedback_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "practice_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_minute_ledger" ADD CONSTRAINT "practice_minute_ledger_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practice_minute_ledger" ADD CONSTRAINT "practice_minute_ledger_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "practice_sessions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Tenant-owned: the current tenant only (docs/tenancy.md). The practice socket (apps/gateway)
-- reads and writes them through the ticket's organization scope like every other service.
ALTER TABLE "practice_scenarios" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_scenarios_tenant ON "practice_scenarios"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "practice_sessions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_sessions_tenant ON "practice_sessions"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "practice_transcript_segments" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_transcript_segments_tenant ON "practice_transcript_segments"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "practice_recordings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_recordings_tenant ON "practice_recordings"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "practice_feedback" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_feedback_tenant ON "practice_feedback"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
ALTER TABLE "practice_minute_ledger" ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_minute_ledger_tenant ON "practice_minute_ledger"
  USING (organization_id = app_organization_id())
  WITH CHECK (organization_id = app_organization_id());
