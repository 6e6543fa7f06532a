// The practice settings page (route /o/[slug]/practice/settings, a one-line file in apps/web).
import Link from "next/link";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { VoiceTrainingCaller } from "../trpc.ts";
import { ProvidersForm } from "./providers-form.tsx";
import { RetentionForm } from "./retention-form.tsx";

/**
 * The company's recording retention (admins set it, members see it) and, for admins, its own
 * speech adapters and keys (docs/products/voice-training.md).
 */
export async function PracticeSettingsPage({
  organization,
  caller,
}: ModulePageProps<VoiceTrainingCaller>) {
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const [settings, providers] = await Promise.all([
    caller.practice.settings({ organizationId: organization.id }),
    isAdmin ? caller.practice.providers({ organizationId: organization.id }) : null,
  ]);
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Practice settings"
        description="How long practice recordings are kept, and which speech services sessions use."
        actions={
          <Button asChild variant="outline">
            <Link href={`/o/${organization.slug}/practice`}>Back to practice</Link>
          </Button>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>Recording retention</CardTitle>
          <CardDescription>
            Recordings (the trainee&apos;s audio) are deleted this many days after the session, by a
            daily job. Transcripts, feedback and minutes stay.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {isAdmin ? (
            <RetentionForm
              organizationId={organization.id}
              days={settings.usesDefault ? null : settings.recordingRetentionDays}
              defaultDays={settings.defaultRetentionDays}
            />
          ) : (
            <p className="text-sm">
              Recordings are kept <strong>{settings.recordingRetentionDays} days</strong>
              {settings.usesDefault ? " (the default)" : ""}.{" "}
              <span className="text-muted-foreground">Only admins can change this.</span>
            </p>
          )}
          {settings.updatedAt ? (
            <p className="text-xs text-muted-foreground">
              Last changed {formatDay(settings.updatedAt)}.
            </p>
          ) : null}
        </CardContent>
      </Card>
      {providers ? (
        <Card>
          <CardHeader>
            <CardTitle>Speech and AI providers</CardTitle>
            <CardDescription>
              Use your own OpenAI, Deepgram or ElevenLabs account for practice sessions: speech, and
              OpenAI for the AI prospect and coach. Keys are stored encrypted and are never shown
              again: only their last 4 characters. A cloud service needs your key; without a choice,
              sessions use the platform&apos;s.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ProvidersForm organizationId={organization.id} settings={providers} />
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
