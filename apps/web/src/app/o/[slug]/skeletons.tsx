// What the main area shows while a sidebar link's organization page loads (PageOrSkeleton), by
// the page's segment; a page without an entry gets the generic PageSkeleton.
import type { ReactNode } from "react";
import { ProjectsLoading } from "@plinth/projects/pages/skeleton";
import { MembersLoading } from "@plinth/teams/pages/skeleton";
import { TestsLoading } from "@plinth/test-automation/pages/skeleton";
import { PracticeLoading } from "@plinth/voice-training/pages/skeleton";
import { BillingSkeleton, TablePageSkeleton } from "~/components/page-skeletons.tsx";

export const ORGANIZATION_PAGE_SKELETONS: Readonly<Record<string, ReactNode>> = {
  projects: <ProjectsLoading />,
  members: <MembersLoading />,
  tests: <TestsLoading />,
  practice: <PracticeLoading />,
  billing: <BillingSkeleton />,
  audit: <TablePageSkeleton label="Loading the audit log" />,
  settings: <TablePageSkeleton label="Loading settings" />,
  runs: <TablePageSkeleton label="Loading runs" />,
};
