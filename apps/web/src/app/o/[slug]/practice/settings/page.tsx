import type { Metadata } from "next";
import { PracticeSettingsPage } from "@plinth/voice-training/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Practice settings" };
export default modulePage("voice-training", PracticeSettingsPage);
