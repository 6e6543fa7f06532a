import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@plinth/ui/page-header";
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";
import { CatalogView } from "./catalog-view.tsx";

export const metadata: Metadata = { title: "API catalog" };

export default async function OperatorApisPage() {
  requireModule("api-catalog");
  const caller = await api();
  const products = await caller.apiCatalog.list();
  return (
    <div className="grid gap-6">
      <PageHeader
        title="API catalog"
        description="The APIs sold through /api/v1: upstreams, endpoints, prices and who may call them. Every change is audited and reaches the gateway within a second."
        actions={
          <>
            <Link className="text-sm underline underline-offset-4" href="/admin/apis/analytics">
              Analytics
            </Link>
            <Link className="text-sm underline underline-offset-4" href="/admin/apis/plans">
              Plans
            </Link>
          </>
        }
      />
      <CatalogView initialProducts={products} />
    </div>
  );
}
