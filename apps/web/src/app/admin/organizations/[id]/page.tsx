import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { organizationId, urlParameter } from "@plinth/core/inputs";
import { api } from "~/server/trpc.ts";
import { SubscriptionView } from "./subscription-view.tsx";

export const metadata: Metadata = { title: "Organization" };

/** One organization's subscription: view, change plan, cancel, resume (operator only). */
export default async function OperatorOrganizationPage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const id = urlParameter(organizationId, (await params).id);
  if (!id) notFound();
  const view = await (await api()).operator.subscription({ organizationId: id }).catch(() => null);
  if (!view) notFound();
  return <SubscriptionView view={view} />;
}
