import type { Metadata } from "next";
import { TestsPage } from "@plinth/test-automation/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Tests" };
export default modulePage("test-automation", TestsPage);
