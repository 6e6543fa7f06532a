-- The after-end pipeline of practice sessions (worker jobs): how far the live transcript got,
-- where a recording starts, and the transcript and feedback statuses.
-- CreateEnum
CREATE TYPE "PracticeWorkStatus" AS ENUM ('PENDING', 'READY', 'FAILED');

-- AlterTable
ALTER TABLE "practice_sessions" ADD COLUMN     "feedback_status" "PracticeWorkStatus",
ADD COLUMN     "transcribed_ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "transcript_status" "PracticeWorkStatus";

-- AlterTable
ALTER TABLE "practice_recordings" ADD COLUMN     "start_ms" INTEGER NOT NULL DEFAULT 0;

-- Sessions ended before the jobs: the live path transcribed them whole and analysed them
-- inline; one without feedback had its analysis fail (practice.reanalyze retries it).
UPDATE "practice_sessions" SET "transcribed_ms" = "audio_ms";
UPDATE "practice_sessions" s SET
  "transcript_status" = 'READY',
  "feedback_status" = CASE
    WHEN EXISTS (SELECT 1 FROM "practice_feedback" f WHERE f."session_id" = s."id") THEN 'READY'
    ELSE 'FAILED'
  END::"PracticeWorkStatus"
WHERE s."status" = 'ENDED';
