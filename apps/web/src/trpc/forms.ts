"use client";
// The web app's forms validate with the product's contracts (@plinth/product/contracts: core's
// and every module's input schemas), split off and fetched when the page is idle.
import { contractForms } from "@plinth/web-kit/forms";

export const useContractForm = contractForms(() => import("@plinth/product/contracts"));
