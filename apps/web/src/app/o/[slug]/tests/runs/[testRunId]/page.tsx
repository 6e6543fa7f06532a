import type { Metadata } from "next";
import { TestRunPage } from "@plinth/test-automation/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Test run" };
export default modulePage("test-automation", TestRunPage);
