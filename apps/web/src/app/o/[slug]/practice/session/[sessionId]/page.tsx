import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { requireOrganization } from "~/server/organization.ts";
import { SessionView } from "./session-view.tsx";

export const metadata: Metadata = { title: "Practice session" };

// The one page where the microphone is allowed (Permissions-Policy in next.config.ts).
export default async function PracticeSessionPage({
  params,
}: {
  params: Promise<{ slug: string; sessionId: string }>;
}) {
  requireModule("voice-training");
  const { slug, sessionId: raw } = await params;
  const sessionId = urlParameter(cuid, raw);
  if (!sessionId) notFound();
  const { organization, caller } = await requireOrganization(slug);
  const session = await caller.practice
    .get({ organizationId: organization.id, sessionId })
    .catch(() => null);
  if (!session) notFound();
  return (
    <SessionView
      organizationId={organization.id}
      slug={organization.slug}
      initialSession={session}
    />
  );
}
