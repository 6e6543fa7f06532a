"use client";
// The test automation pages' tRPC hooks (typed by this module's router slice; they read the web app's
// client and cache) and their forms (validated with this module's contracts).
import { createApiHooks } from "@plinth/web-kit/api";
import { contractForms } from "@plinth/web-kit/forms";
import type { TestAutomationApi } from "../trpc.ts";

export const api = createApiHooks<TestAutomationApi>();
export const useContractForm = contractForms(() => import("../contract.ts"));
