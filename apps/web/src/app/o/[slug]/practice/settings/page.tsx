import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { RetentionForm } from "./retention-form.tsx";

export const metadata: Metadata = { title: "Practice settings" };

/** The company's recording retention: admins set it, members see it (docs/products/voice-training.md). */
export default async function PracticeSettingsPage({
  params,
}: {
  params: Promise<{ slug: string }>;
}) {
  requireModule("voice-training");
  const { slug } = await params;
  const { organization, caller } = await requireOrganization(slug);
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const settings = await caller.practice.settings({ organizationId: organization.id });
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Practice settings"
        description="How long practice recordings are kept."
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
    </div>
  );
}
