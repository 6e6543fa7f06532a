import type { Metadata } from "next";
import { WorkspacesPage } from "@plinth/hosting/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Workspaces" };
export default modulePage("hosting", WorkspacesPage);
