"use client";
// The API marketplace pages' tRPC hooks (typed by core's routers and this module's; they read
// the web app's client and cache) and their forms (validated with this module's contracts).
import { createApiHooks } from "@plinth/web-kit/api";
import { contractForms } from "@plinth/web-kit/forms";
import type { ApiCatalogApi } from "../trpc.ts";

export const api = createApiHooks<ApiCatalogApi>();
export const useContractForm = contractForms(() => import("../contract.ts"));
