// Browser test of the API marketplace: a platform admin adds an API product and a priced
// endpoint (units from an upstream header) in the operator console; the pay-as-you-go demo
// organization calls it through the gateway with its API key (a loopback upstream answers);
// its owner then sees the call and its cost on the API usage page and in the call log, and
// the endpoint's line with its amount in the billing page's upcoming-invoice preview.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hashPassword } from "@plinth/auth/password";
import { createLogger } from "@plinth/core/logger";
import { createDatabase, systemClient } from "@plinth/db";
import { rollupUsage } from "@plinth/metering";
import { productRuntime } from "@plinth/product";
import { productGatewayExtensions, productRoutes } from "@plinth/product/http";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoApiKeys } from "../../prisma/seed.ts";
import { listen } from "@plinth/gateway/node-server";
import { createGatewayRuntime } from "@plinth/gateway/runtime";
import { launchBrowser, newPage } from "./browser.ts";
import { signInWithPassword } from "./ui.ts";
import { acceptedTerms } from "./fixtures.ts";

export async function runApiMarketplace(
  baseUrl: string,
  options: { databaseUrl: string },
): Promise<void> {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const slug = `weather${stamp}`.slice(0, 30);
  const db = createDatabase(options.databaseUrl, { poolMax: 4 });
  const system = systemClient(db, "e2e: fixtures and checks");
  const upstream = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "x-usage-units": "7" });
    response.end(JSON.stringify({ temperature: 21 }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const product = productRuntime("all");
  const gateway = await createGatewayRuntime({
    database: db,
    databaseUrl: options.databaseUrl,
    product,
    routes: productRoutes(product),
    extensions: productGatewayExtensions(product),
    logger: createLogger({ level: "warn" }),
    billing: { stripe: null, appUrl: baseUrl, pastDueGraceDays: 7 },
    flushIntervalMs: 50,
  });
  const server = await listen(gateway);
  const gatewayUrl = server.url;
  const browser = await launchBrowser();
  try {
    const password = "operator password 2026";
    const admin = await system.user.create({
      data: {
        ...acceptedTerms(),
        email: `apis-ops-${stamp}@example.com`,
        name: "Ops",
        passwordHash: await hashPassword(password),
        emailVerified: new Date(),
        platformRole: "SUPER_ADMIN",
      },
    });
    const payg = DEMO_ACCOUNTS.find((account) => account.planKey === "payg");
    assert.ok(payg, "the demo preset has a pay-as-you-go organization");
    const key = (await demoApiKeys(system, [payg])).get(payg.email);
    assert.ok(key, "the payg demo organization has an API key");

    // The operator adds the product and a priced endpoint.
    const ops = await newPage(browser, baseUrl, [], { includeConsole: false });
    await ops.goto("/sign-in");
    await signInWithPassword(ops, admin.email, password);
    await ops.waitForURL(/\/admin/, { timeout: 30_000 });
    await ops.goto("/admin/apis");
    const productForm = ops.getByRole("form", { name: "Add an API product" });
    await productForm.getByLabel("Name").fill("E2E Weather");
    await productForm.getByLabel("Path").fill(slug);
    await productForm.getByLabel("Upstream base URL").fill(upstreamUrl);
    await productForm.getByRole("button", { name: "Add product" }).click();
    await ops.waitForURL(/\/admin\/apis\/c[a-z0-9]{24}$/, { timeout: 30_000 });
    const endpointForm = ops.getByRole("form", { name: "Add an endpoint" });
    await endpointForm.getByLabel("Public path").fill("/now");
    await endpointForm.getByLabel("Upstream path").fill("/now");
    await endpointForm.getByLabel("Summary").fill("The weather now");
    await endpointForm.getByLabel("Price per call (micro-cents; 1 ¢ = 1 000 000)").fill("500000");
    await endpointForm.getByLabel("Price per unit (micro-cents)").fill("100000");
    await endpointForm.locator('select[name="unitsRule"]').selectOption("HEADER");
    await endpointForm.getByLabel("Units header").fill("x-usage-units");
    await endpointForm.getByRole("button", { name: "Add endpoint" }).click();
    await ops.getByRole("cell", { name: `GET /api/v1/${slug}/now` }).waitFor({ timeout: 15_000 });

    // The buyer calls it with its pay-as-you-go key (the gateway reloads within a second).
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const response = await fetch(`${gatewayUrl}/api/v1/${slug}/now`, {
        headers: { authorization: `Bearer ${key}` },
      });
      status = response.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 200, "the new endpoint answers through the gateway");
    await gateway.writer.flush();
    await rollupUsage(system);
    const event = await system.usageEvent.findFirstOrThrow({
      where: { route: `/api/v1/${slug}/now` },
      select: { quantity: true, costMicroCents: true },
    });
    assert.deepEqual(event, { quantity: 7, costMicroCents: 1_200_000n });

    // The buyer's owner sees the call and its cost ($0.012 = $0.005 + 7 × $0.001).
    const buyer = await newPage(browser, baseUrl, [], { includeConsole: false });
    await buyer.goto("/sign-in");
    await signInWithPassword(buyer, payg.email, DEMO_PASSWORD);
    await buyer.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 30_000 });
    const organization = await system.organization.findFirstOrThrow({
      where: { memberships: { some: { user: { email: payg.email } } } },
      select: { slug: true },
    });
    await buyer.goto(`/o/${organization.slug}/apis`);
    await buyer.getByText(`/api/v1/${slug}/now`).first().waitFor({ timeout: 15_000 });
    await buyer.goto(`/o/${organization.slug}/apis/usage`);
    const row = buyer.getByRole("row").filter({ hasText: `/api/v1/${slug}/now` });
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /\$0\.012/);
    await buyer.goto(`/o/${organization.slug}/apis/usage/log`);
    const logRow = buyer.getByRole("row").filter({ hasText: `/api/v1/${slug}/now` });
    await logRow.first().waitFor({ timeout: 15_000 });
    assert.match(await logRow.first().innerText(), /200[\s\S]*\$0\.012/);

    // The billing page's upcoming-invoice preview bills it at the endpoint's prices: its own
    // line (product: method route) with 1 call, 7 units and 1 200 000 micro-cents, rounded
    // once, half up, to $0.01 (docs/billing.md, "Usage lines").
    await buyer.goto(`/o/${organization.slug}/billing`);
    const invoiceLine = buyer
      .getByRole("table", { name: "Upcoming invoice" })
      .getByRole("row")
      .filter({ hasText: `GET /api/v1/${slug}/now` });
    await invoiceLine.waitFor({ timeout: 15_000 });
    const cells = await invoiceLine.getByRole("cell").allInnerTexts();
    assert.deepEqual(
      cells.map((cell) => cell.trim()),
      [`E2E Weather: GET /api/v1/${slug}/now`, "1", "7", "$0.01"],
    );
  } finally {
    await browser.close();
    server.close();
    await gateway.close();
    upstream.close();
    await db.disconnect();
  }
}
