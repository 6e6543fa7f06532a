import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cuid, urlParameter } from "@plinth/core/inputs";
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";
import { ProductView } from "./product-view.tsx";

export const metadata: Metadata = { title: "API product" };

export default async function OperatorApiProductPage({
  params,
}: {
  params: Promise<{ productId: string }>;
}) {
  requireModule("api-catalog");
  const productId = urlParameter(cuid, (await params).productId);
  if (!productId) notFound();
  const caller = await api();
  const product = await caller.apiCatalog.get({ productId }).catch(() => null);
  if (!product) notFound();
  return <ProductView initialProduct={product} />;
}
