import type { Metadata } from "next";
import { EditTemplatePage } from "@plinth/ai-tasks/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "AI template" };
export default modulePage("ai-tasks", EditTemplatePage);
