// The local billing provider's checkout (no STRIPE_SECRET_KEY): a clearly marked TEST MODE
// page where an admin of the organization "buys" a plan; nothing is charged. Reached from
// billing.startCheckout's URL (/billing/test-checkout?plan=&interval=&returnTo=&organization=).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { activeProduct } from "@plinth/product";
import { appErrorFromCaller } from "~/server/errors.ts";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import { safeRedirectPath } from "@plinth/auth/redirect";
import { Badge } from "@plinth/ui/badge";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardFooter, CardHeader } from "@plinth/ui/card";
import { CenteredPage } from "@plinth/ui/centered-page";
import { completeTestCheckoutAction } from "./actions.ts";
import { checkoutParamsSchema } from "./params.ts";

export const metadata: Metadata = { title: "Test-mode checkout" };
export const dynamic = "force-dynamic";

const money = (cents: number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(cents / 100);

export default async function TestCheckoutPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = await searchParams;
  // Malformed parameters (a NUL byte, a wrong id format, over-long or repeated values): 404,
  // nothing read.
  const parsed = checkoutParamsSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const { plan: planKey, interval, organization: organizationId } = parsed.data;
  const user = await getSessionUser();
  if (!user) {
    // Back here after signing in, with the return path only if it passes the redirect rule.
    const returnTo = safeRedirectPath(parsed.data.returnTo, "");
    const query = new URLSearchParams({ plan: planKey, interval, organization: organizationId });
    if (returnTo) query.set("returnTo", returnTo);
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/billing/test-checkout?${query}`)}`);
  }
  const caller = await api();
  const organization = await caller.organization.get({ organizationId }).catch((error: unknown) => {
    if (appErrorFromCaller(error)?.code === "NOT_FOUND") notFound();
    throw error;
  });
  const overview = await caller.billing.overview({ organizationId });
  if (!overview.testMode) notFound(); // Stripe is configured: real checkout only.
  const plan = activeProduct().catalog.getPlan(planKey);
  if (!plan?.purchasable || plan.itemOnly) notFound();
  const returnTo = safeRedirectPath(parsed.data.returnTo, `/o/${organization.slug}/billing`);
  const cancelTo = `/o/${organization.slug}/billing?checkout=canceled`;
  const isAdmin = organization.role === "OWNER" || organization.role === "ADMIN";
  const price = plan.prices[interval];

  return (
    <CenteredPage width="md">
      <Card
        aria-label="Test-mode checkout"
        className="border-2 border-dashed border-warning bg-warning-muted/40"
      >
        <CardHeader className="gap-3">
          <Badge variant="warning" className="text-sm font-bold tracking-widest">
            TEST MODE
          </Badge>
          <h1 className="text-xl font-semibold tracking-tight">Checkout — {plan.name}</h1>
        </CardHeader>
        <CardContent className="grid gap-4 text-sm">
          <p>
            <strong>No payment will be taken.</strong> Plinth runs without Stripe (no{" "}
            <code>STRIPE_SECRET_KEY</code>), so this local test-mode checkout activates the plan
            immediately and records a test-mode invoice.
          </p>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt className="text-muted-foreground">Organization</dt>
            <dd>{organization.name}</dd>
            <dt className="text-muted-foreground">Plan</dt>
            <dd>
              {plan.name} ({interval === "year" ? "yearly" : "monthly"})
            </dd>
            <dt className="text-muted-foreground">Price</dt>
            <dd>
              {price !== undefined ? `${money(price)} / ${interval}` : "No base fee"} (test mode:
              not charged)
            </dd>
          </dl>
          {isAdmin ? null : (
            <Banner tone="danger">
              Only owners and admins of {organization.name} can change its plan.
            </Banner>
          )}
        </CardContent>
        {isAdmin ? (
          <CardFooter>
            <form action={completeTestCheckoutAction} className="flex flex-wrap gap-2">
              <input type="hidden" name="organizationId" value={organizationId} />
              <input type="hidden" name="planKey" value={planKey} />
              <input type="hidden" name="interval" value={interval} />
              <input type="hidden" name="returnTo" value={returnTo} />
              <Button type="submit">Activate {plan.name} (test mode)</Button>
              <Button asChild variant="outline">
                <Link href={cancelTo}>Cancel</Link>
              </Button>
            </form>
          </CardFooter>
        ) : null}
      </Card>
    </CenteredPage>
  );
}
