// `pnpm billing:sync [--dry-run]`: mirrors the active product's catalog (PLINTH_PRODUCT,
// plinth.config.ts) into the Stripe account configured by STRIPE_SECRET_KEY.
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import { stripeFromEnv } from "@plinth/billing/stripe/client";
import { desiredPrices } from "@plinth/billing/stripe/prices";
import { activeProduct } from "@plinth/product";

async function main(): Promise<void> {
  const { catalog } = activeProduct();
  if (process.argv.includes("--dry-run")) {
    for (const price of desiredPrices(catalog.plans)) console.log(price.lookupKey);
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
  const result = await syncCatalog(stripe, catalog, { log: (line) => console.log(line) });
  console.log(
    `catalog sync: ${result.created.length} created, ${result.updated.length} updated, ` +
      `${result.archived.length} archived, ${result.unchanged} unchanged`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
