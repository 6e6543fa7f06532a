// `tsx packages/billing/src/stripe/sync-cli.ts [--dry-run]`: mirrors the catalog into the
// Stripe account configured by STRIPE_SECRET_KEY.
import { stripeFromEnv } from "./client.ts";
import { syncCatalog } from "./catalog-sync.ts";
import { desiredPrices } from "./prices.ts";

async function main(): Promise<void> {
  if (process.argv.includes("--dry-run")) {
    for (const price of desiredPrices()) console.log(price.lookupKey);
    return;
  }
  const stripe = stripeFromEnv();
  if (!stripe) {
    console.error(
      "STRIPE_SECRET_KEY is not set: nothing to sync (billing runs on the local provider).",
    );
    process.exitCode = 1;
    return;
  }
  const result = await syncCatalog(stripe, { log: (line) => console.log(line) });
  console.log(
    `catalog sync: ${result.created.length} created, ${result.updated.length} updated, ` +
      `${result.archived.length} archived, ${result.unchanged} unchanged`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
