"use client";
// The /demo page's tRPC hooks (typed by this module's router slice; they read the web app's
// client) and its form (validated with this module's contract, as the server validates).
import { createApiHooks } from "@plinth/web-kit/api";
import { contractForms } from "@plinth/web-kit/forms";
import type { DemoBookingApi } from "../trpc.ts";

export const api = createApiHooks<DemoBookingApi>();
export const useContractForm = contractForms(() => import("../contract.ts"));
