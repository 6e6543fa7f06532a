// The after-end pipeline (after-end.ts) against real PostgreSQL, graphile-worker and the
// official OpenAI SDK's transcriber talking to a local speech server on loopback: ending a
// session queues one finalize job in the same transaction (a double end too); the job
// transcribes only the audio the live path did not (a retry adds nothing), then the analysis
// stores a feedback revision, statuses PENDING → READY; a speech-to-text that keeps failing
// ends FAILED after the last attempt (practice.reanalyze still works); a job never touches a
// session of another organization than its payload's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@plinth/core/scope";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueue } from "@plinth/jobs";
import { createOpenAITranscriber, encodeWav } from "@plinth/speech";
import { voiceJobs } from "../src/jobs.ts";
import type { VoiceProviders } from "../src/providers.ts";
import {
  callerFor,
  consentToRecording,
  createOrganization,
  createUser,
  offlineProviders,
  PracticeClient,
  queuedJobs,
  roomTone,
  scenarioFields,
  setPlan,
  startJobRunner,
  startSocketServer,
  waitFor,
  afterEndSettled,
  type JobRunner,
  type SocketHarness,
} from "./kit.ts";
import { startSpeechServer, tonePcm, type SpeechServer } from "./speech-server.ts";

let db: TestDatabase;
let speech: SpeechServer;
let providers: VoiceProviders;
let sockets: SocketHarness;
let runner: JobRunner | null = null;
let owner: SessionUser;
let orgId: string;
let scenarioId: string;

/** One utterance: a tone the energy detector takes for speech, then a pause that closes it. */
const utterance = () => Buffer.concat([roomTone(300), tonePcm(1_200), roomTone(1_500)]);

beforeAll(async () => {
  db = await createTestDatabase();
  speech = await startSpeechServer();
  providers = {
    ...offlineProviders(),
    stt: createOpenAITranscriber({
      apiKey: "sk-test-after-end",
      baseURL: `${speech.origin}/v1`,
      retry: { maxRetries: 0 },
    }),
    tts: null,
  };
  sockets = await startSocketServer(db, { providers, silenceTimeoutMs: 600_000 });
  owner = await createUser(db, "owner@after-end.test");
  const org = await createOrganization(db, owner, "After End Co");
  orgId = org.id;
  await setPlan(db, orgId, "team");
  await consentToRecording(db, owner);
  scenarioId = (
    await callerFor(db, owner).practiceScenario.create({ organizationId: orgId, ...scenarioFields })
  ).id;
});
afterAll(async () => {
  await runner?.stop();
  await sockets.close();
  await speech.close();
  await db.drop();
});

async function startSession() {
  return callerFor(db, owner).practice.start({ organizationId: orgId, scenarioId });
}

function jobsOf(name: string, sessionId: string) {
  return queuedJobs(db, name).then((jobs) =>
    jobs.filter((job) => (job.payload as { sessionId?: string }).sessionId === sessionId),
  );
}

function sessionRow(sessionId: string) {
  return db.system.practiceSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: {
      status: true,
      transcribedMs: true,
      transcriptStatus: true,
      feedbackStatus: true,
      recording: { select: { durationMs: true, startMs: true } },
      segments: { orderBy: { seq: "asc" }, select: { seq: true, speaker: true, startMs: true } },
      feedback: { select: { revision: true } },
    },
  });
}

/** Ends a socket session after `audio` (the live path transcribing what it can). */
async function practise(parts: { audio: Buffer; sttFails?: boolean }[]) {
  const started = await startSession();
  const client = new PracticeClient(sockets.url);
  expect((await client.auth(started.ticket)).type).toBe("ready");
  for (const part of parts) {
    speech.setFailing(part.sttFails ?? false);
    const since = client.frames.length;
    client.sendAudio(part.audio);
    // The live transcript of this part: a segment, or the stream's failure.
    await (part.sttFails
      ? client.next("error", (frame) => frame.code === "internal", since)
      : client.next("segment", (frame) => frame.speaker === "TRAINEE", since));
  }
  return { started, client };
}

describe("after a practice session ends", { timeout: 90_000 }, () => {
  it("the end queues exactly one finalize job with the end (a double end too)", async () => {
    const { started, client } = await practise([{ audio: utterance() }]);
    client.send({ type: "end" });
    client.send({ type: "end" });
    const ended = await client.next("ended");
    expect(ended.reason).toBe("USER");
    expect((await client.closed).code).toBe(1000);
    // No feedback frame any more: the worker makes it.
    expect(client.frames.some((frame) => frame.type === "feedback")).toBe(false);
    // A late End button (practice.end) on the ended session adds nothing either.
    await callerFor(db, owner).practice.end({
      organizationId: orgId,
      sessionId: started.sessionId,
    });

    const jobs = await jobsOf(voiceJobs.finalizeTranscript.name, started.sessionId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      payload: { organizationId: orgId, sessionId: started.sessionId },
      max_attempts: 3,
      key: `voiceTraining.finalizeTranscript:${started.sessionId}`,
    });
    const row = await sessionRow(started.sessionId);
    expect(row).toMatchObject({
      status: "ENDED",
      transcriptStatus: "PENDING",
      feedbackStatus: "PENDING",
    });
    // The live stream was flushed: it transcribed the whole recording.
    expect(row.transcribedMs).toBe(row.recording?.durationMs);
    const answer = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(answer).toMatchObject({ transcriptStatus: "PENDING", feedbackStatus: "PENDING" });

    // Two End buttons at once on a session without a socket: one of them queues the job.
    const other = await startSession();
    await Promise.all([
      callerFor(db, owner).practice.end({ organizationId: orgId, sessionId: other.sessionId }),
      callerFor(db, owner).practice.end({ organizationId: orgId, sessionId: other.sessionId }),
    ]);
    expect(await jobsOf(voiceJobs.finalizeTranscript.name, other.sessionId)).toHaveLength(1);
  });

  it("the worker transcribes the untranscribed tail once, then the feedback: PENDING → READY", async () => {
    // The live speech-to-text fails after the first utterance: the rest is left to the worker.
    const { started, client } = await practise([
      { audio: utterance() },
      { audio: Buffer.concat([utterance(), utterance()]), sttFails: true },
    ]);
    speech.setFailing(false);
    client.send({ type: "end" });
    await client.next("ended");
    await client.closed;
    const before = await sessionRow(started.sessionId);
    const liveSegments = before.segments.filter((segment) => segment.speaker === "TRAINEE");
    expect(liveSegments.length).toBeGreaterThanOrEqual(1);
    const durationMs = before.recording?.durationMs ?? 0;
    expect(before.transcribedMs).toBeGreaterThan(0);
    expect(before.transcribedMs).toBeLessThan(durationMs - 2_000);
    expect(before.feedback).toEqual([]);

    const requestsBefore = speech.requests.length;
    runner = await startJobRunner(db, { providers });
    const settled = await afterEndSettled(db, started.sessionId);
    expect(settled).toEqual({ transcriptStatus: "READY", feedbackStatus: "READY" });

    const after = await sessionRow(started.sessionId);
    expect(after.transcribedMs).toBe(durationMs);
    const added = after.segments.slice(before.segments.length);
    // Both utterances of the tail, as TRAINEE segments after the live ones, inside the tail.
    expect(added.length).toBeGreaterThanOrEqual(2);
    for (const segment of added) {
      expect(segment.speaker).toBe("TRAINEE");
      expect(segment.startMs).toBeGreaterThanOrEqual(before.transcribedMs);
    }
    expect(after.segments.map((segment) => segment.seq)).toEqual(
      after.segments.map((_, index) => index),
    );
    expect(speech.requests.length).toBeGreaterThan(requestsBefore);
    expect(after.feedback).toEqual([{ revision: 1 }]);
    const answer = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(answer).toMatchObject({ transcriptStatus: "READY", feedbackStatus: "READY" });
    expect(answer.latestFeedback?.revision).toBe(1);

    // The job again (a retry after its commit): nothing transcribed, nothing added, no analysis.
    const requestsDone = speech.requests.length;
    const runs = runner.events.length;
    await enqueue(db.system, voiceJobs.finalizeTranscript, {
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    await waitFor(() => runner!.events.length > runs, { what: "the repeated finalize job" });
    expect(runner.events.at(-1)).toMatchObject({
      name: voiceJobs.finalizeTranscript.name,
      error: null,
    });
    const again = await sessionRow(started.sessionId);
    expect(again.segments).toEqual(after.segments);
    expect(again.feedback).toEqual([{ revision: 1 }]);
    expect(speech.requests.length).toBe(requestsDone);
    expect(await jobsOf(voiceJobs.analyzeSession.name, started.sessionId)).toEqual([]);
  });

  it("a speech-to-text that keeps failing ends FAILED after the last attempt; reanalyze still works", async () => {
    runner ??= await startJobRunner(db, { providers });
    const { started, client } = await practise([{ audio: utterance(), sttFails: true }]);
    client.send({ type: "end" });
    await client.next("ended");
    await client.closed;
    // graphile-worker backs off between attempts (seconds): bring each retry forward.
    const settled = await waitFor(
      async () => {
        await db.system.$executeRaw`
          UPDATE graphile_worker._private_jobs SET run_at = now()
          WHERE attempts > 0 AND attempts < max_attempts AND locked_at IS NULL`;
        const row = await sessionRow(started.sessionId);
        return row.transcriptStatus === "PENDING" ? null : row;
      },
      { what: "the failing finalize job's last attempt", intervalMs: 200 },
    );
    expect(settled).toMatchObject({ transcriptStatus: "FAILED", feedbackStatus: "FAILED" });
    const attempts = runner.events.filter(
      (event) => event.name === voiceJobs.finalizeTranscript.name && event.error !== null,
    );
    expect(attempts.map((event) => event.attempt).slice(-3)).toEqual([1, 2, 3]);
    expect(await jobsOf(voiceJobs.analyzeSession.name, started.sessionId)).toEqual([]);
    // The failure reached no answer: the key the speech server echoed is not in the statuses.
    const answer = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(answer).toMatchObject({ transcriptStatus: "FAILED", feedbackStatus: "FAILED" });

    speech.setFailing(false);
    const revision = await callerFor(db, owner).practice.reanalyze({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(revision.revision).toBe(1);
    expect((await sessionRow(started.sessionId)).feedbackStatus).toBe("READY");
  });

  it("a job works only on its payload organization's session", async () => {
    runner ??= await startJobRunner(db, { providers });
    const other = await createUser(db, "other@after-end.test");
    const otherOrg = await createOrganization(db, other, "Other After End Co");
    await setPlan(db, otherOrg.id, "team");
    await consentToRecording(db, other);
    const otherScenario = await callerFor(db, other).practiceScenario.create({
      organizationId: otherOrg.id,
      ...scenarioFields,
    });
    const theirs = await callerFor(db, other).practice.start({
      organizationId: otherOrg.id,
      scenarioId: otherScenario.id,
    });
    // Their session ended with an untranscribed recording (as a crashed live path leaves it).
    const audio = utterance();
    await db.system.practiceSession.update({
      where: { id: theirs.sessionId },
      data: { status: "ENDED", endReason: "USER", audioMs: audio.length / 32 },
    });
    await db.system.practiceRecording.create({
      data: {
        organizationId: otherOrg.id,
        sessionId: theirs.sessionId,
        audio: new Uint8Array(encodeWav(audio)),
        durationMs: audio.length / 32,
      },
    });

    // My organization's id on their session: not found under my tenant, nothing done.
    const runs = runner.events.length;
    const requests = speech.requests.length;
    const forged = { organizationId: orgId, sessionId: theirs.sessionId };
    await enqueue(db.system, voiceJobs.finalizeTranscript, forged);
    await enqueue(db.system, voiceJobs.analyzeSession, forged);
    await waitFor(() => runner!.events.length >= runs + 2, { what: "the forged jobs" });
    const untouched = await sessionRow(theirs.sessionId);
    expect(untouched).toMatchObject({
      transcribedMs: 0,
      transcriptStatus: null,
      feedbackStatus: null,
      segments: [],
      feedback: [],
    });
    expect(speech.requests.length).toBe(requests);
    expect(runner.lines.join("\n")).toContain("not found under the job's organization");

    // The same job with their own organization does the work (the check above can fail).
    await enqueue(db.system, voiceJobs.finalizeTranscript, {
      organizationId: otherOrg.id,
      sessionId: theirs.sessionId,
    });
    const settled = await afterEndSettled(db, theirs.sessionId);
    expect(settled).toEqual({ transcriptStatus: "READY", feedbackStatus: "READY" });
    const transcribed = await sessionRow(theirs.sessionId);
    expect(transcribed.transcribedMs).toBe(audio.length / 32);
    expect(transcribed.segments.length).toBeGreaterThanOrEqual(1);
    expect(transcribed.feedback).toEqual([{ revision: 1 }]);
  });
});
