import type { Metadata } from "next";
import { activeProduct } from "@plinth/product";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatCount, formatMoney } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { formatMicroCents } from "@plinth/api-catalog/format";
import { requireModule } from "~/server/modules.ts";
import { api } from "~/server/trpc.ts";

export const metadata: Metadata = { title: "Plans" };

export default async function OperatorPlansPage() {
  requireModule("api-catalog");
  const caller = await api();
  const overview = await caller.operator.overview();
  const product = activeProduct();
  const subscribers = (planKey: string) =>
    overview.subscriptions
      .filter((row) => row.planKey === planKey && row.status !== "CANCELED")
      .reduce((sum, row) => sum + row.count, 0);
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Plans"
        description={`Plans live in the product configuration (plinth.config.ts, preset “${product.key}”): versioned and reviewed with the code, synced to Stripe by \`pnpm billing:sync\`. They are not edited here.`}
      />
      <div className="grid gap-4 md:grid-cols-2">
        {product.catalog.plans.map((plan) => (
          <Card key={plan.key}>
            <CardHeader>
              <CardTitle>
                {plan.name}{" "}
                <span className="text-sm font-normal text-muted-foreground">
                  · {formatCount(subscribers(plan.key))} subscribers
                </span>
              </CardTitle>
              <CardDescription>{plan.description}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3 text-sm">
              <p>
                {plan.prices.month !== undefined
                  ? `${formatMoney(plan.prices.month)} / month`
                  : "No base fee"}
                {plan.prices.year !== undefined ? ` · ${formatMoney(plan.prices.year)} / year` : ""}
                {` · rate limit ${formatCount(plan.rateLimits.api.requests)} / ${plan.rateLimits.api.windowSeconds} s`}
              </p>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Meter</TableHead>
                    <TableHead className="text-right">Included</TableHead>
                    <TableHead className="text-right">Overage</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {Object.entries(plan.quotas).map(([meter, quota]) => (
                    <TableRow key={meter}>
                      <TableCell className="font-mono text-xs">{meter}</TableCell>
                      <TableCell className="text-right">
                        {quota.included === null ? "Unlimited" : formatCount(quota.included)}
                      </TableCell>
                      <TableCell className="text-right">
                        {quota.overageMicroCents === undefined
                          ? "Capped"
                          : `${formatMicroCents(quota.overageMicroCents)} / unit`}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        ))}
      </div>
    </div>
  );
}
