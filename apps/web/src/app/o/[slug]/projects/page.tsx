import type { Metadata } from "next";
import { ProjectsPage } from "@plinth/projects/pages";
import { modulePage } from "~/server/module-page.tsx";

export const metadata: Metadata = { title: "Projects" };
export default modulePage("projects", ProjectsPage);
