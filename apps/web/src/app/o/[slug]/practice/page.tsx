import type { Metadata } from "next";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { PracticeView } from "./practice-view.tsx";

export const metadata: Metadata = { title: "Practice" };

export default async function PracticePage({ params }: { params: Promise<{ slug: string }> }) {
  requireModule("voice-training");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
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
