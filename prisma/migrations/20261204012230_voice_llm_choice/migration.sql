-- AlterTable
ALTER TABLE "practice_settings" ADD COLUMN     "llm_model" TEXT;
