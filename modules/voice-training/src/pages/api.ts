"use client";
// The practice pages' tRPC hooks (typed by this module's router slice; they read the web app's
// client and cache) and their forms (validated with this module's contracts).
import { createApiHooks } from "@plinth/web-kit/api";
import { contractForms } from "@plinth/web-kit/forms";
import type { VoiceTrainingApi } from "../trpc.ts";

export const api = createApiHooks<VoiceTrainingApi>();
export const useContractForm = contractForms(() => import("../contract.ts"));
