"use client";
// The members page's tRPC hooks (typed by core's routers and this module's; they read the web
// app's client and cache) and its forms (validated with this module's contracts).
import { createApiHooks } from "@plinth/web-kit/api";
import { contractForms } from "@plinth/web-kit/forms";
import type { TeamsApi } from "../trpc.ts";

export const api = createApiHooks<TeamsApi>();
export const useContractForm = contractForms(() => import("../contract.ts"));
