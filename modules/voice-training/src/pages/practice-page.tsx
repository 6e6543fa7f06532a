// The practice page (route /o/[slug]/practice, a one-line file in apps/web): scenarios, the
// sessions (all of them for admins, else the viewer's), minutes left, the viewer's recording
// consent and the retention setting, read on the server; then the client view.
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { VoiceTrainingCaller } from "../trpc.ts";
import { PracticeView } from "./practice-view.tsx";

export async function PracticePage({ organization, caller }: ModulePageProps<VoiceTrainingCaller>) {
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const organizationId = organization.id;
  const [scenarios, sessions, minutes, consents, settings] = await Promise.all([
    caller.practiceScenario.list({ organizationId }),
    caller.practice.list({ organizationId, who: isAdmin ? "all" : "mine" }),
    caller.practice.minutes({ organizationId }),
    caller.account.consents(),
    caller.practice.settings({ organizationId }),
  ]);
  const recording = consents.find((consent) => consent.kind === "RECORDING");
  return (
    <PracticeView
      organizationId={organizationId}
      slug={organization.slug}
      isAdmin={isAdmin}
      planName={organization.plan.name}
      initialScenarios={scenarios}
      initialSessions={sessions}
      initialMinutes={minutes}
      recordingConsented={recording?.valid ?? false}
      retentionDays={settings.recordingRetentionDays}
    />
  );
}
