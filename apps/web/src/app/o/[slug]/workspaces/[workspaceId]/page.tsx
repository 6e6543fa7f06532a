import type { Metadata } from "next";
import { WorkspacePage } from "@plinth/hosting/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Workspace" };
export default modulePage("hosting", WorkspacePage);
