// Pages of product modules answer 404 when the active product (PLINTH_PRODUCT) does not
// enable their module, like their procedures (NOT_FOUND) and nav entries (absent).
import "server-only";
import { notFound } from "next/navigation";
import { activeProduct } from "@plinth/product";

export function requireModule(moduleKey: string): void {
  if (!activeProduct().isEnabled(moduleKey)) notFound();
}
