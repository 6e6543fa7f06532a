import type { Metadata } from "next";
import { NewTemplatePage } from "@plinth/ai-tasks/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "New AI template" };
export default modulePage("ai-tasks", NewTemplatePage);
