// One practice session (route /o/[slug]/practice/session/[sessionId]): 404 for a malformed id
// or one the organization does not have; then the live session view. The one page where the
// microphone is allowed: apps/web/next.config.ts sends its Permissions-Policy by route path.
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { VoiceTrainingCaller } from "../trpc.ts";
import { SessionView } from "./session-view.tsx";

export async function PracticeSessionPage({
  organization,
  caller,
  params,
}: ModulePageProps<VoiceTrainingCaller, "sessionId">) {
  const sessionId = urlParameter(cuid, params.sessionId);
  if (!sessionId) notFound();
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
