import type { Metadata } from "next";
import { AiTasksPage } from "@plinth/ai-tasks/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "AI tasks" };
export default modulePage("ai-tasks", AiTasksPage);
