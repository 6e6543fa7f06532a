import type { Catalog } from "../catalog.ts";
import type { BillingDb } from "../stripe/deps.ts";
import type { Razorpay } from "./client.ts";

export interface RazorpayDeps {
  db: BillingDb;
  razorpay: Razorpay;
  catalog: Catalog;
  now?: () => Date;
  log?: (line: string) => void;
}
