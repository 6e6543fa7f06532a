import type { Metadata } from "next";
import { AiTaskPage } from "@plinth/ai-tasks/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "AI task" };
export default modulePage("ai-tasks", AiTaskPage);
