// The voice-training module's tRPC adapter: scenarios (admins write), practice sessions
// (start → a short-lived WebSocket ticket for the gateway's practice socket; list, get, end,
// re-analyse), minutes (summary; admins allocate to members and read the ledger), progress
// over time (a trainee's own; admins any member's, and the team view).
import type { inferRouterOutputs } from "@trpc/server";
import {
  createTRPCRouter,
  orgAdminProcedure,
  orgProcedure,
  type CallerOf,
  type ModuleApi,
} from "@plinth/trpc";
import {
  createScenarioInput,
  deleteProviderKeyInput,
  grantMinutesInput,
  listScenariosInput,
  listSessionsInput,
  practiceProvidersInput,
  practiceSettingsInput,
  progressInput,
  scenarioInput,
  sessionInput,
  startSessionInput,
  teamProgressInput,
  updateScenarioInput,
} from "./contract.ts";
import { voiceEnv } from "./env.ts";
import { analyzeSession } from "./feedback.ts";
import * as providerSettings from "./provider-settings.ts";
import { createVoiceProviderResolver, type VoiceProviderResolver } from "./providers.ts";
import { practiceProgress, teamProgress } from "./progress.ts";
import * as practice from "./service.ts";
import { practiceSettings, updatePracticeSettings } from "./retention.ts";
import * as z from "zod/mini";

let resolver: VoiceProviderResolver | undefined;
const voiceProviders = () => (resolver ??= createVoiceProviderResolver(voiceEnv()));

const ledgerInput = z.object({ limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50) });

export const scenarioRouter = createTRPCRouter({
  list: orgProcedure
    .input(listScenariosInput)
    .query(({ ctx, input }) => practice.listScenarios(ctx.scope, input)),
  get: orgProcedure
    .input(scenarioInput)
    .query(({ ctx, input }) => practice.getScenario(ctx.scope, input)),
  create: orgAdminProcedure
    .input(createScenarioInput)
    .mutation(({ ctx, input }) => practice.createScenario(ctx.scope, input)),
  update: orgAdminProcedure
    .input(updateScenarioInput)
    .mutation(({ ctx, input }) => practice.updateScenario(ctx.scope, input)),
  archive: orgAdminProcedure
    .input(scenarioInput)
    .mutation(({ ctx, input }) =>
      practice.setScenarioArchived(ctx.scope, { ...input, archived: true }),
    ),
  unarchive: orgAdminProcedure
    .input(scenarioInput)
    .mutation(({ ctx, input }) =>
      practice.setScenarioArchived(ctx.scope, { ...input, archived: false }),
    ),
});

export const practiceRouter = createTRPCRouter({
  /** Creates the session and its first WebSocket ticket (QUOTA_EXCEEDED without minutes). */
  start: orgProcedure.input(startSessionInput).mutation(async ({ ctx, input }) => {
    const started = await practice.startSession(ctx.scope, input);
    // The company's own adapters where it chose them (what its socket will use).
    const organizationId = ctx.scope.organization.id;
    const { stt, tts, llm } = await ctx.scope.db.transaction((tx) =>
      voiceProviders().forOrganization(tx, organizationId),
    );
    return {
      ...started,
      socketUrl: voiceEnv().PRACTICE_SOCKET_URL,
      providers: {
        stt: { name: stt.name, offline: stt.offline },
        tts: tts ? { name: tts.name, offline: tts.offline } : null,
        llm: { name: llm.name, offline: llm.offline },
      },
    };
  }),
  /** A new ticket for the caller's own session (resume within the grace window). */
  ticket: orgProcedure.input(sessionInput).mutation(async ({ ctx, input }) => ({
    ...(await practice.issueTicket(ctx.scope, input)),
    socketUrl: voiceEnv().PRACTICE_SOCKET_URL,
  })),
  list: orgProcedure
    .input(listSessionsInput)
    .query(({ ctx, input }) => practice.listSessions(ctx.scope, input)),
  get: orgProcedure
    .input(sessionInput)
    .query(({ ctx, input }) => practice.getSession(ctx.scope, input)),
  end: orgProcedure
    .input(sessionInput)
    .mutation(({ ctx, input }) => practice.endSession(ctx.scope, input)),
  /** A new feedback revision (the old ones stay). */
  reanalyze: orgProcedure.input(sessionInput).mutation(async ({ ctx, input }) => {
    await practice.getSession(ctx.scope, input); // visibility: own session, or an admin
    // The company's own LLM where it chose one (as at the session's end), else the platform's.
    const organizationId = ctx.scope.organization.id;
    const { llm, model } = await ctx.scope.db.transaction((tx) =>
      voiceProviders().forOrganization(tx, organizationId),
    );
    return analyzeSession(ctx.scope, input, { provider: llm, model });
  }),
  minutes: orgProcedure.query(({ ctx }) => practice.minuteSummary(ctx.scope)),
  /** The caller's (admins: a member's) ended sessions' scores, pace and fillers over time. */
  progress: orgProcedure
    .input(progressInput)
    .query(({ ctx, input }) => practiceProgress(ctx.scope, input)),
  /** Per member: sessions, minutes, average score, pace and fillers, last session. */
  teamProgress: orgAdminProcedure
    .input(teamProgressInput)
    .query(({ ctx, input }) => teamProgress(ctx.scope, input)),
  grantMinutes: orgAdminProcedure
    .input(grantMinutesInput)
    .mutation(({ ctx, input }) => practice.grantMinutes(ctx.scope, input)),
  ledger: orgAdminProcedure
    .input(ledgerInput)
    .query(({ ctx, input }) => practice.listLedger(ctx.scope, input)),
  /** The company's recording retention (days; its own or PRACTICE_RETENTION_DAYS). */
  settings: orgProcedure.query(({ ctx }) =>
    practiceSettings(ctx.scope, voiceEnv().PRACTICE_RETENTION_DAYS),
  ),
  updateSettings: orgAdminProcedure
    .input(practiceSettingsInput)
    .mutation(({ ctx, input }) =>
      updatePracticeSettings(ctx.scope, input, voiceEnv().PRACTICE_RETENTION_DAYS),
    ),
  /** The company's speech adapters, its LLM and its keys (masked: set, last 4 characters, when). */
  providers: orgAdminProcedure.query(({ ctx }) =>
    providerSettings.getProviderSettings(ctx.scope, voiceProviders().platform),
  ),
  /** Chooses the adapters; stores keys given (write-only, in the vault). Audited, no key. */
  updateProviders: orgAdminProcedure
    .input(practiceProvidersInput)
    .mutation(({ ctx, input }) =>
      providerSettings.updateProviderSettings(ctx.scope, input, voiceProviders().platform),
    ),
  deleteProviderKey: orgAdminProcedure
    .input(deleteProviderKeyInput)
    .mutation(({ ctx, input }) =>
      providerSettings.deleteProviderKey(ctx.scope, input, voiceProviders().platform),
    ),
});

/** The module's namespaces in the product's router. */
export const routers = { practiceScenario: scenarioRouter, practice: practiceRouter };

/** What this module's pages' hooks and caller are typed by: core's routers and its own. */
export type VoiceTrainingApi = ModuleApi<typeof routers>;
/** A caller of this module's procedures and core's (the web app's request caller is one). */
export type VoiceTrainingCaller = CallerOf<VoiceTrainingApi>;
export type VoiceTrainingOutputs = inferRouterOutputs<VoiceTrainingApi>;
