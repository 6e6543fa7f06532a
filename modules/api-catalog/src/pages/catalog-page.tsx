import Link from "next/link";
import { Plug } from "lucide-react";
import { Badge } from "@plinth/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { EmptyState } from "@plinth/ui/empty-state";
import { formatCount, formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Stat } from "@plinth/ui/stat";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import type { ModulePageProps } from "@plinth/web-kit/page";
import type { ApiCatalogCaller } from "../trpc.ts";
import { formatMicroCents, formatPrice } from "./format.ts";

export async function ApisPage({ organization, caller }: ModulePageProps<ApiCatalogCaller>) {
  const { slug } = organization;
  const catalog = await caller.apis.catalog({ organizationId: organization.id });
  const { plan } = catalog;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="APIs"
        description="The APIs your organization may call through /api/v1, with their prices and your plan's limits."
        actions={
          <>
            <Link className="text-sm underline underline-offset-4" href={`/o/${slug}/apis/usage`}>
              Usage
            </Link>
            <a className="text-sm underline underline-offset-4" href="/api/v1/docs">
              API reference
            </a>
          </>
        }
      />
      <dl className="grid gap-4 sm:grid-cols-3" aria-label="Your plan's limits">
        <Stat label="Plan" value={plan.name} />
        <Stat
          label="Rate limit"
          value={`${formatCount(plan.rateLimit.requests)} / ${plan.rateLimit.windowSeconds === 60 ? "min" : `${plan.rateLimit.windowSeconds} s`}`}
          detail="Per API key, all endpoints; some endpoints have their own limit"
        />
        <Stat
          label="Units included"
          value={
            plan.units === null
              ? "Not in plan"
              : plan.units.included === null
                ? "Unlimited"
                : formatCount(plan.units.included)
          }
          detail={
            plan.units?.overageMicroCents
              ? `Beyond: billed (plan rate ${formatMicroCents(plan.units.overageMicroCents)} / unit)`
              : plan.units?.included
                ? "Calls stop at the cap"
                : undefined
          }
        />
      </dl>
      {catalog.products.length === 0 ? (
        <EmptyState icon={<Plug />} title="No APIs yet">
          The operator has not published any API your organization may call.
        </EmptyState>
      ) : (
        catalog.products.map((product) => (
          <Card key={product.slug}>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                {product.name}
                {product.visibility === "PRIVATE" ? <Badge variant="info">Private</Badge> : null}
                {product.status === "DEPRECATED" ? (
                  <Badge variant="warning">
                    Deprecated{product.sunsetAt ? ` · sunset ${formatDay(product.sunsetAt)}` : ""}
                  </Badge>
                ) : null}
              </CardTitle>
              <CardDescription>{product.description}</CardDescription>
            </CardHeader>
            <CardContent>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Endpoint</TableHead>
                    <TableHead>Summary</TableHead>
                    <TableHead>Price</TableHead>
                    <TableHead>Units</TableHead>
                    <TableHead className="text-right">Limit</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {product.endpoints.map((endpoint) => (
                    <TableRow key={`${endpoint.method} ${endpoint.path}`}>
                      <TableCell className="font-mono text-xs">
                        <Badge variant="outline" className="mr-2">
                          {endpoint.method}
                        </Badge>
                        {endpoint.path}
                      </TableCell>
                      <TableCell>{endpoint.summary}</TableCell>
                      <TableCell>{formatPrice(endpoint)}</TableCell>
                      <TableCell>
                        {endpoint.unitsRule === "HEADER"
                          ? `From ${endpoint.unitsHeader ?? "header"}`
                          : "1 per call"}
                      </TableCell>
                      <TableCell className="text-right">
                        {endpoint.rateLimitPerMinute
                          ? `${formatCount(endpoint.rateLimitPerMinute)}/min`
                          : "Plan"}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        ))
      )}
      <p className="text-sm text-muted-foreground">
        Call them with an API key that has the <code>apis:call</code> scope (
        <Link className="underline underline-offset-4" href={`/o/${slug}/settings/api-keys`}>
          API keys
        </Link>
        ); subscribe or change plan on the{" "}
        <Link className="underline underline-offset-4" href={`/o/${slug}/billing`}>
          billing page
        </Link>
        .
      </p>
    </div>
  );
}
