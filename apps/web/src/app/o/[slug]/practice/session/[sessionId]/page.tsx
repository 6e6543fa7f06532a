import type { Metadata } from "next";
import { PracticeSessionPage } from "@plinth/voice-training/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Practice session" };
// The one page where the microphone is allowed (Permissions-Policy in next.config.ts).
export default modulePage("voice-training", PracticeSessionPage);
