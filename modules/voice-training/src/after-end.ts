// What happens after a practice session ends, in the worker (./jobs.ts, ./worker.ts):
//
//   the ender (the socket's storeEnd, practice.end)     one transaction: status ENDED, the
//                                                      recording, statuses PENDING, and
//                                                      voiceTraining.finalizeTranscript queued
//   finalizeTranscript                                 the recording from transcribed_ms on
//                                                      (what the live speech-to-text did not
//                                                      reach) through the company's adapter →
//                                                      TRAINEE segments, transcript READY,
//                                                      voiceTraining.analyzeSession queued
//   analyzeSession                                     a feedback revision (./feedback.ts),
//                                                      feedback READY
//
// A job's last failed attempt marks its status FAILED (a failed transcript fails the feedback
// too; practice.reanalyze still makes one over the transcript there is). Each handler reads the
// session under its payload's organization only: another tenant's session id is not found.
import type { Logger } from "@plinth/core/logger";
import { tenantDb, type PrismaClient, type TenantDb, type TransactionClient } from "@plinth/db";
import { enqueue } from "@plinth/jobs";
import { BYTES_PER_MS, wavToPcm16kMono, type TranscriptSegment } from "@plinth/speech";
import { analyzeSession } from "./feedback.ts";
import { voiceJobs, type SessionJobPayload } from "./jobs.ts";
import type { VoiceProviderResolver, VoiceProviders } from "./providers.ts";
import { toStoredWords } from "./stored-words.ts";

/** Less untranscribed audio than this is not worth a transcription (a frame's rounding). */
const MIN_TAIL_MS = 100;

/**
 * Queues the after-end work of a session the caller's transaction has just ended (or has
 * given new audio): the statuses go PENDING and the finalize job commits with the end.
 */
export async function queueAfterEnd(
  tx: TransactionClient,
  payload: SessionJobPayload,
): Promise<void> {
  await tx.practiceSession.updateMany({
    where: { id: payload.sessionId, organizationId: payload.organizationId },
    data: { transcriptStatus: "PENDING", feedbackStatus: "PENDING" },
  });
  await enqueue(tx, voiceJobs.finalizeTranscript, payload);
}

export interface AfterEndDeps {
  /** The worker's (system) client; every query goes through the payload tenant's TenantDb. */
  prisma: PrismaClient;
  /** The company's adapters (a resolver), or fixed ones. */
  providers: VoiceProviderResolver | VoiceProviders;
  log: Logger;
  signal?: AbortSignal | undefined;
}

export type AfterEndOutcome =
  | { outcome: "not_found" }
  | { outcome: "done"; segmentsAdded: number; transcribedMs: number }
  | { outcome: "analysed"; revision: number };

function providersOf(deps: AfterEndDeps, db: TenantDb): Promise<VoiceProviders> {
  const source = deps.providers;
  return "forOrganization" in source
    ? db.transaction((tx) => source.forOrganization(tx, db.organizationId))
    : Promise.resolve(source);
}

/** voiceTraining.finalizeTranscript: the untranscribed tail of the recording, once. */
export async function finalizeTranscript(
  deps: AfterEndDeps,
  payload: SessionJobPayload,
): Promise<AfterEndOutcome> {
  const db = tenantDb(deps.prisma, { organizationId: payload.organizationId });
  const session = await db.client.practiceSession.findFirst({
    where: { id: payload.sessionId, status: "ENDED" },
    select: {
      transcribedMs: true,
      recording: { select: { audio: true, startMs: true, durationMs: true } },
    },
  });
  if (!session) {
    deps.log.warn(payload, "practice session not found under the job's organization: skipped");
    return { outcome: "not_found" };
  }
  const { recording } = session;
  const fromMs = Math.max(session.transcribedMs, recording?.startMs ?? 0);
  const recordingEndMs = recording ? recording.startMs + recording.durationMs : 0;
  let segments: TranscriptSegment[] = [];
  if (recording && recordingEndMs - fromMs >= MIN_TAIL_MS) {
    const pcm = wavToPcm16kMono(Buffer.from(recording.audio));
    // A whole sample (2 bytes) boundary.
    const offset = Math.round((fromMs - recording.startMs) * BYTES_PER_MS) & ~1;
    const { stt } = await providersOf(deps, db);
    segments = await transcribeTail(stt.stream({ signal: deps.signal }), pcm.subarray(offset));
  }
  return db.transaction(async (tx) => {
    // One finalize at a time per session; a retry after a commit finds transcribed_ms moved on.
    const [locked] = await tx.$queryRaw<
      { transcribed_ms: number; feedback_status: string | null }[]
    >`
      SELECT transcribed_ms, feedback_status::text AS feedback_status FROM practice_sessions
      WHERE id = ${payload.sessionId} AND organization_id = ${payload.organizationId}
      FOR UPDATE`;
    if (!locked) return { outcome: "not_found" } as const;
    let added = 0;
    let transcribedMs = locked.transcribed_ms;
    if (locked.transcribed_ms === session.transcribedMs && segments.length > 0) {
      const last = await tx.transcriptSegment.aggregate({
        where: { sessionId: payload.sessionId, organizationId: payload.organizationId },
        _max: { seq: true },
      });
      let seq = (last._max.seq ?? -1) + 1;
      await tx.transcriptSegment.createMany({
        data: segments.map((segment) => ({
          organizationId: payload.organizationId,
          sessionId: payload.sessionId,
          seq: seq++,
          speaker: "TRAINEE" as const,
          text: segment.text,
          words: toStoredWords(segment.words, fromMs),
          startMs: Math.max(0, Math.round(segment.startMs + fromMs)),
          endMs: Math.max(0, Math.round(segment.endMs + fromMs)),
        })),
      });
      added = segments.length;
    }
    if (locked.transcribed_ms === session.transcribedMs) {
      transcribedMs = Math.max(locked.transcribed_ms, recordingEndMs);
    }
    await tx.practiceSession.updateMany({
      where: { id: payload.sessionId, organizationId: payload.organizationId },
      data: { transcribedMs, transcriptStatus: "READY" },
    });
    // New words, or no feedback yet: (re)analyse. A retry of a finished finalize adds nothing.
    if (added > 0 || locked.feedback_status !== "READY") {
      await enqueue(tx, voiceJobs.analyzeSession, payload);
    }
    return { outcome: "done", segmentsAdded: added, transcribedMs } as const;
  });
}

/** Every final segment of `pcm` through a stream of the company's adapter (ms from `pcm`'s start). */
async function transcribeTail(
  stream: ReturnType<VoiceProviders["stt"]["stream"]>,
  pcm: Buffer,
): Promise<TranscriptSegment[]> {
  stream.write(pcm);
  const ended = stream.end();
  const segments: TranscriptSegment[] = [];
  for await (const segment of stream) {
    if (segment.final && segment.text.trim()) segments.push(segment);
  }
  await ended;
  return segments;
}

/** voiceTraining.analyzeSession: a feedback revision over the stored transcript. */
export async function analyzeEndedSession(
  deps: AfterEndDeps,
  payload: SessionJobPayload,
): Promise<AfterEndOutcome> {
  const db = tenantDb(deps.prisma, { organizationId: payload.organizationId });
  const session = await db.client.practiceSession.findFirst({
    where: { id: payload.sessionId, status: "ENDED" },
    select: { id: true },
  });
  if (!session) {
    deps.log.warn(payload, "practice session not found under the job's organization: skipped");
    return { outcome: "not_found" };
  }
  const { llm, model } = await providersOf(deps, db);
  const feedback = await analyzeSession(
    { organization: { id: payload.organizationId }, db },
    { sessionId: payload.sessionId },
    { provider: llm, model },
  );
  return { outcome: "analysed", revision: feedback.revision };
}

/** After a job's last attempt failed: its status FAILED (the feedback can no longer come). */
export async function markAfterEndFailed(
  prisma: PrismaClient,
  payload: SessionJobPayload,
  stage: "transcript" | "feedback",
): Promise<void> {
  const db = tenantDb(prisma, { organizationId: payload.organizationId });
  await (stage === "transcript"
    ? db.client.practiceSession.updateMany({
        where: { id: payload.sessionId, transcriptStatus: "PENDING" },
        data: { transcriptStatus: "FAILED", feedbackStatus: "FAILED" },
      })
    : db.client.practiceSession.updateMany({
        where: { id: payload.sessionId, feedbackStatus: "PENDING" },
        data: { feedbackStatus: "FAILED" },
      }));
}
