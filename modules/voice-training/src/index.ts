// The voice-training module (the sales-training product): practice scenarios with an AI
// prospect, live practice sessions over a WebSocket (apps/gateway hosts the socket; ./live.ts
// is the protocol), transcripts, feedback, and the `session.minutes` meter with a minute
// ledger. This file is the declaration (no transport); docs/products/voice-training.md.
import { defineModule, userExportFilePath } from "@plinth/platform";
import type { TransactionClient } from "@plinth/db";
import { DEMO_RUBRIC } from "./demo.ts";
import { voiceJobs } from "./jobs.ts";
import { PROVIDER_KEY_SECRETS } from "./providers.ts";

const MODULE_KEY = "voice-training";

/** A session's recording among the module's export files (exportUserFiles writes it). */
function recordingPath(sessionId: string): string {
  return `practice-sessions/${sessionId}/recording.wav`;
}

async function userSessions(tx: TransactionClient, userId: string) {
  return tx.practiceSession.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      organizationId: true,
      scenarioId: true,
      status: true,
      endReason: true,
      audioMs: true,
      minutesCharged: true,
      sttProvider: true,
      llmProvider: true,
      ttsProvider: true,
      startedAt: true,
      endedAt: true,
      createdAt: true,
      segments: {
        orderBy: { seq: "asc" },
        select: { seq: true, speaker: true, text: true, words: true, startMs: true, endMs: true },
      },
      feedback: {
        orderBy: { revision: "asc" },
        select: {
          revision: true,
          provider: true,
          offline: true,
          overallScore: true,
          metrics: true,
          skills: true,
          summary: true,
          createdAt: true,
        },
      },
      recording: { select: { durationMs: true, createdAt: true } },
    },
  });
}

/** A transcript line's offset into the session, `m:ss`. */
function formatOffset(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

export const voiceTrainingModule = defineModule({
  key: MODULE_KEY,
  name: "Voice training",
  description: "Practise sales calls by voice against an AI prospect; metered per minute.",
  meters: {
    "session.minutes": { description: "Session minutes", unit: "minute" },
  },
  apiScopes: {
    "practice:read": "Read practice sessions with their transcripts and feedback",
    "practice:write": "Start practice sessions",
  },
  jobs: Object.values(voiceJobs),
  // Daily 04:10 UTC: recordings past their company's retention go (retention.ts).
  cron: [{ job: voiceJobs.purgeRecordings, match: "10 4 * * *", maxAttempts: 3 }],
  nav: [{ segment: "practice", label: "Practice", icon: "mic", order: 25 }],
  tenantModels: [
    "PracticeScenario",
    "PracticeSession",
    "TranscriptSegment",
    "PracticeRecording",
    "SessionFeedback",
    "MinuteLedgerEntry",
    "PracticeSettings",
  ],
  operatorCounts: [
    {
      key: "practiceSessions",
      label: "Practice sessions",
      count: async (db, organizationIds) => {
        const groups = await db.practiceSession.groupBy({
          by: ["organizationId"],
          where: { organizationId: { in: [...organizationIds] } },
          _count: { _all: true },
        });
        return new Map(groups.map((group) => [group.organizationId, group._count._all]));
      },
    },
  ],
  demo: async (tx, { organizationId, ownerId, names }) => {
    await tx.practiceScenario.createMany({
      data: names.map((name) => ({
        organizationId,
        name,
        persona:
          "Dana, head of finance at a 200-person logistics company. Busy, sceptical of new " +
          "tools, cares about cost and time to value. Answers in one or two sentences.",
        product: "Plinth Voice, a sales practice platform",
        objections: ["We have no budget this quarter", "Our team is too busy for training"],
        goals: ["Ask about current training", "Agree on a next step"],
        difficulty: "MEDIUM" as const,
        rubric: DEMO_RUBRIC,
        createdById: ownerId,
      })),
    });
  },
  gdpr: {
    // Sessions with their transcripts and feedback, and the user's minute ledger entries. A
    // recording's audio is not repeated here: it is a file of the zip (exportUserFiles), and
    // `recording.file` is its path there.
    exportUser: async (tx, userId) => {
      const sessions = await userSessions(tx, userId);
      return {
        practiceSessions: sessions.map(({ recording, ...session }) => ({
          ...session,
          recording: recording
            ? {
                durationMs: recording.durationMs,
                createdAt: recording.createdAt,
                // The WAV's path inside the zip (`files/voice-training/…`).
                file: userExportFilePath(MODULE_KEY, recordingPath(session.id)),
              }
            : null,
        })),
        practiceMinutes: await tx.minuteLedgerEntry.findMany({
          where: { userId },
          orderBy: { createdAt: "asc" },
          select: {
            organizationId: true,
            sessionId: true,
            kind: true,
            minutes: true,
            overage: true,
            note: true,
            createdAt: true,
          },
        }),
      };
    },
    // Each session's recording (a WAV, while retention keeps it: the purge deletes the row) and
    // its transcript as text; one session read at a time, so audio is never all in memory.
    exportUserFiles: async function* (tx, userId) {
      const sessions = await tx.practiceSession.findMany({
        where: { userId },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      });
      for (const { id } of sessions) {
        const session = await tx.practiceSession.findUniqueOrThrow({
          where: { id },
          select: {
            recording: { select: { audio: true } },
            segments: {
              orderBy: { seq: "asc" },
              select: { speaker: true, text: true, startMs: true },
            },
          },
        });
        if (session.recording) {
          yield { path: recordingPath(id), bytes: session.recording.audio };
        }
        if (session.segments.length > 0) {
          const lines = session.segments.map(
            (segment) =>
              `[${formatOffset(segment.startMs)}] ${segment.speaker.toLowerCase()}: ${segment.text}`,
          );
          yield {
            path: `practice-sessions/${id}/transcript.txt`,
            bytes: new TextEncoder().encode(`${lines.join("\n")}\n`),
          };
        }
      }
    },
    // Sessions go with their segments, recordings and feedback (cascade); ledger entries stay
    // for accounting, pseudonymised (no user, no session).
    deleteUser: async (tx, userId) => {
      await tx.minuteLedgerEntry.updateMany({
        where: { userId },
        data: { userId: null, sessionId: null, note: null },
      });
      // Grants and adjustments an admin made stay, without the admin.
      await tx.minuteLedgerEntry.updateMany({
        where: { createdById: userId },
        data: { createdById: null },
      });
      await tx.practiceSession.deleteMany({ where: { userId } });
      await tx.practiceScenario.updateMany({
        where: { createdById: userId },
        data: { createdById: null },
      });
    },
    userReferences: [
      { table: "practice_sessions", column: "user_id", onUserDeleted: "erased" },
      { table: "practice_minute_ledger", column: "user_id", onUserDeleted: "cleared" },
      { table: "practice_minute_ledger", column: "created_by_id", onUserDeleted: "cleared" },
      { table: "practice_scenarios", column: "created_by_id", onUserDeleted: "cleared" },
    ],
    exportOrganization: async (tx, organizationId) => ({
      practiceScenarios: await tx.practiceScenario.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          name: true,
          persona: true,
          product: true,
          objections: true,
          goals: true,
          difficulty: true,
          rubric: true,
          archivedAt: true,
          createdAt: true,
        },
      }),
      practiceSessions: await tx.practiceSession.count({ where: { organizationId } }),
      practiceSettings: await tx.practiceSettings.findUnique({
        where: { organizationId },
        // The chosen adapters only: the company's keys are never exported.
        select: {
          recordingRetentionDays: true,
          speechToText: true,
          textToSpeech: true,
          llmModel: true,
          updatedAt: true,
        },
      }),
      practiceMinutes: await tx.minuteLedgerEntry.findMany({
        where: { organizationId },
        orderBy: { createdAt: "asc" },
        select: { kind: true, minutes: true, overage: true, createdAt: true },
      }),
    }),
    deleteOrganization: async (tx, organizationId) => {
      await tx.minuteLedgerEntry.deleteMany({ where: { organizationId } });
      await tx.practiceSession.deleteMany({ where: { organizationId } });
      await tx.practiceScenario.deleteMany({ where: { organizationId } });
      await tx.practiceSettings.deleteMany({ where: { organizationId } });
      // The company's speech keys (the organization's cascade would take them too; said here).
      await tx.vaultSecret.deleteMany({
        where: { organizationId, name: { in: Object.values(PROVIDER_KEY_SECRETS) } },
      });
    },
  },
});

export default voiceTrainingModule;
