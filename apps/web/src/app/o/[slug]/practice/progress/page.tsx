import type { Metadata } from "next";
import { PracticeProgressPage } from "@plinth/voice-training/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Practice progress" };
export default modulePage("voice-training", PracticeProgressPage);
