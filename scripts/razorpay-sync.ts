// `pnpm billing:sync:razorpay [--dry-run]`: mirrors the active product's catalog (PLINTH_PRODUCT,
// plinth.config.ts) into Razorpay plans in the account of RAZORPAY_KEY_ID / RAZORPAY_KEY_SECRET.
import { syncRazorpayCatalog } from "@plinth/billing/razorpay/catalog-sync";
import { razorpayFromEnv } from "@plinth/billing/razorpay/client";
import { desiredRazorpayPlans } from "@plinth/billing/razorpay/plans";
import { activeProduct } from "@plinth/product";

async function main(): Promise<void> {
  const { catalog } = activeProduct();
  if (process.argv.includes("--dry-run")) {
    for (const plan of desiredRazorpayPlans(catalog.plans))
      console.log(`${plan.plan.key}_${plan.interval} ${plan.amount}`);
    return;
  }
  const razorpay = razorpayFromEnv();
  if (!razorpay) {
    console.error(
      "Razorpay is not the configured provider (RAZORPAY_KEY_ID/RAZORPAY_KEY_SECRET unset, or STRIPE_SECRET_KEY set).",
    );
    process.exitCode = 1;
    return;
  }
  const result = await syncRazorpayCatalog(razorpay, catalog, { log: (line) => console.log(line) });
  console.log(
    `razorpay catalog sync: ${result.created.length} created, ${result.unchanged} unchanged`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
