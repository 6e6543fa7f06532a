-- AlterTable
ALTER TABLE "practice_settings" ADD COLUMN     "speech_to_text" TEXT,
ADD COLUMN     "text_to_speech" TEXT;
