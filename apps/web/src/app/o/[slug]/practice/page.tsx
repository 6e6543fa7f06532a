import type { Metadata } from "next";
import { PracticePage } from "@plinth/voice-training/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Practice" };
export default modulePage("voice-training", PracticePage);
