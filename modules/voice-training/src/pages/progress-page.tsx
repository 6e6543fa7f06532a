// The progress page (route /o/[slug]/practice/progress, a one-line file in apps/web): the
// viewer's scores, pace and fillers over the last 90 days and, for admins, the team's figures
// with a member picker; read on the server, then the client view.
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { VoiceTrainingCaller } from "../trpc.ts";
import { ProgressView } from "./progress-view.tsx";

export async function PracticeProgressPage({
  organization,
  caller,
  viewer,
}: ModulePageProps<VoiceTrainingCaller>) {
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const organizationId = organization.id;
  const [progress, team] = await Promise.all([
    caller.practice.progress({ organizationId }),
    isAdmin ? caller.practice.teamProgress({ organizationId }) : null,
  ]);
  return (
    <ProgressView
      organizationId={organizationId}
      slug={organization.slug}
      viewerId={viewer.id}
      initialProgress={progress}
      initialTeam={team}
    />
  );
}
