// /o/<slug>: the organization's first page in the product's navigation (Projects in the demo).
import { notFound, redirect } from "next/navigation";
import { slug as slugInput, urlParameter } from "@plinth/core/inputs";
import { activeProduct } from "@plinth/product";

export default async function OrganizationHome({ params }: { params: Promise<{ slug: string }> }) {
  const slug = urlParameter(slugInput, (await params).slug);
  const first = activeProduct().nav[0];
  if (slug === undefined || !first) notFound();
  redirect(`/o/${slug}/${first.segment}`);
}
