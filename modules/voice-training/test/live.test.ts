// The live practice socket against real PostgreSQL and the real offline engines: espeak-ng
// speaks a known script, the audio streams over the WebSocket, PocketSphinx transcribes it,
// the offline AI provider answers as the prospect (espeak-ng speaks the reply), and the
// worker's jobs (graphile-worker here) store the feedback after the end. Plus: minutes running out closes the socket, two concurrent sessions
// cannot overspend an allocation, tickets are tenant-checked and single-use, bad frames get
// typed error frames, a dropped socket resumes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { SessionUser } from "@plinth/core/scope";
import { createEspeakSynthesizer, wordErrorRate } from "@plinth/speech";
import { voiceTrainingModule } from "../src/index.ts";
import {
  consentToRecording,
  addMember,
  callerFor,
  createOrganization,
  createUser,
  PracticeClient,
  afterEndSettled,
  roomTone,
  startJobRunner,
  type JobRunner,
  scenarioFields,
  setPlan,
  startSocketServer,
  type SocketHarness,
} from "./kit.ts";

// A slow, clearly separated reading (espeak-ng at 140 wpm, 80 ms between words) stands in for
// a trainee; PocketSphinx's acoustic model is far from espeak's voice, so key words and WER.
const SCRIPT =
  "Thanks for taking my call today. I wanted to ask about your budget for the new software. " +
  "I understand your concern about the price. Could we book a demo next week?";
const KEY_WORDS = [
  ...["call", "today", "ask", "budget", "software", "understand", "price", "demo", "week"],
];
const SCRIPT_WPM = 140;

let db: TestDatabase;
let harness: SocketHarness;
let jobs: JobRunner;
let speechPcm: Buffer;
const silence = (ms: number) => roomTone(ms);

let owner: SessionUser;
let orgId: string;
let scenarioId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  harness = await startSocketServer(db, { silenceTimeoutMs: 600_000 });
  jobs = await startJobRunner(db);
  speechPcm = (
    await createEspeakSynthesizer({ wordsPerMinute: SCRIPT_WPM, wordGap: 8 }).synthesize(SCRIPT)
  ).pcm;
  owner = await createUser(db, "owner@voice.test");
  const org = await createOrganization(db, owner, "Voice Co");
  orgId = org.id;
  await setPlan(db, orgId, "team");
  const scenario = await callerFor(db, owner).practiceScenario.create({
    organizationId: orgId,
    ...scenarioFields,
  });
  scenarioId = scenario.id;
});
afterAll(async () => {
  await jobs.stop();
  await harness.close();
  await db.drop();
});

async function start(user: SessionUser, organizationId = orgId, scenario = scenarioId) {
  await consentToRecording(db, user);
  return callerFor(db, user).practice.start({ organizationId, scenarioId: scenario });
}

describe("a practice session over the WebSocket", { timeout: 90_000 }, () => {
  it("transcribes streamed speech, answers as the prospect, stores transcript and feedback", async () => {
    const started = await start(owner);
    expect(started.providers.stt.offline).toBe(true);
    expect(started.providers.llm.offline).toBe(true);
    const client = new PracticeClient(harness.url);
    const ready = await client.auth(started.ticket);
    expect(ready).toMatchObject({ type: "ready", sessionId: started.sessionId, resumed: false });

    client.sendAudio(Buffer.concat([silence(500), speechPcm, silence(1_500)]));
    const segment = await client.next("segment", (frame) => frame.speaker === "TRAINEE");
    expect(typeof segment.text).toBe("string");
    await client.next("reply");
    client.send({ type: "end" });
    const ended = await client.next("ended");
    expect(ended).toMatchObject({ reason: "USER" });
    expect((await client.closed).code).toBe(1000);
    expect(client.frames.some((frame) => frame.type === "feedback")).toBe(false);
    // The worker's jobs: the live path transcribed everything, the analysis comes after.
    expect(await afterEndSettled(db, started.sessionId)).toEqual({
      transcriptStatus: "READY",
      feedbackStatus: "READY",
    });

    const session = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(session.status).toBe("ENDED");
    expect(session.endReason).toBe("USER");
    expect(session.minutesCharged).toBe(1);
    const trainee = session.segments.filter((s) => s.speaker === "TRAINEE");
    const prospect = session.segments.filter((s) => s.speaker === "PROSPECT");
    const heard = trainee.map((s) => s.text).join(" ");
    const found = KEY_WORDS.filter((word) => heard.split(/\s+/).includes(word));
    const wer = wordErrorRate(SCRIPT, heard);
    console.log(
      `[voice round trip] heard: "${heard}" — key words ${found.length}/${KEY_WORDS.length} ` +
        `(${found.join(", ")}), WER ${(wer.wer * 100).toFixed(1)}%`,
    );
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(prospect.length).toBeGreaterThanOrEqual(1);
    expect(prospect[0]?.text).toContain("[Offline demo");
    // Binary audio of the prospect's reply (espeak-ng) came back over the socket.
    expect(client.audio.reduce((sum, chunk) => sum + chunk.length, 0)).toBeGreaterThan(16_000);

    const latest = session.latestFeedback;
    expect(latest?.offline).toBe(true);
    expect(latest?.provider).toBe("offline");
    // espeak-ng reads at 140 words a minute (plus 80 ms gaps): the analysis of the transcribed
    // words says so within PocketSphinx's word-count errors, over a talk time inside the speech.
    const speechMs = speechPcm.length / 32;
    console.log(
      `[voice feedback] wpm ${latest?.wordsPerMinute}, talk ${latest?.talkTimeMs} ms of ` +
        `${Math.round(speechMs)} ms speech, fillers/min ${latest?.fillersPerMinute}, ` +
        `questions ${latest?.questions}, score ${latest?.overallScore}`,
    );
    expect(latest?.wordsPerMinute).toBeGreaterThan(SCRIPT_WPM * 0.6);
    expect(latest?.wordsPerMinute).toBeLessThan(SCRIPT_WPM * 1.6);
    expect(latest?.talkTimeMs).toBeGreaterThan(speechMs * 0.5);
    expect(latest?.talkTimeMs).toBeLessThanOrEqual(speechMs + 500);
    expect(latest?.skills.map((skill) => skill.id)).toEqual(["discovery", "next-step"]);

    const recording = await db.system.practiceRecording.findUnique({
      where: { sessionId: started.sessionId },
      select: { durationMs: true },
    });
    expect(recording?.durationMs).toBe(Math.round((speechPcm.length + 2_000 * 32) / 32));
    const ledger = await db.system.minuteLedgerEntry.findMany({
      where: { sessionId: started.sessionId },
      select: { kind: true, minutes: true },
    });
    expect(ledger).toEqual([{ kind: "USAGE", minutes: -1 }]);

    // A re-analysis adds a revision and keeps the first.
    const again = await callerFor(db, owner).practice.reanalyze({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(again.revision).toBe(2);
    const revisions = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    expect(revisions.feedback.map((f) => f.revision)).toEqual([2, 1]);
  });

  it("closes the socket with a clear message when the minutes run out", async () => {
    const member = await createUser(db, "one-minute@voice.test");
    await addMember(db, orgId, member, "MEMBER");
    await callerFor(db, owner).practice.grantMinutes({
      organizationId: orgId,
      userId: member.id,
      minutes: 1,
    });
    const started = await start(member);
    const client = new PracticeClient(harness.url);
    await client.auth(started.ticket);
    client.sendAudio(silence(65_000), 500);
    const ended = await client.next("ended");
    expect(ended.reason).toBe("QUOTA");
    expect(String(ended.message)).toContain("minutes have run out");
    const closed = await client.closed;
    expect(closed.code).toBe(4402);
    const session = await db.system.practiceSession.findUniqueOrThrow({
      where: { id: started.sessionId },
      select: { minutesCharged: true, endReason: true, audioMs: true },
    });
    expect(session).toMatchObject({ minutesCharged: 1, endReason: "QUOTA" });
    expect(session.audioMs).toBeLessThanOrEqual(60_000);
    // No minute left: a new session is refused before any socket.
    await expect(start(member)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  it("two concurrent sessions cannot overspend an allocation", async () => {
    const member = await createUser(db, "race@voice.test");
    await addMember(db, orgId, member, "MEMBER");
    await callerFor(db, owner).practice.grantMinutes({
      organizationId: orgId,
      userId: member.id,
      minutes: 1,
    });
    const [a, b] = await Promise.all([start(member), start(member)]);
    const clients = [new PracticeClient(harness.url), new PracticeClient(harness.url)];
    await Promise.all([clients[0]!.auth(a.ticket), clients[1]!.auth(b.ticket)]);
    for (const client of clients) client.sendAudio(silence(1_000));
    const quotaEnds = await Promise.race([
      Promise.any(clients.map((client) => client.next("ended"))),
    ]);
    expect(quotaEnds.reason).toBe("QUOTA");
    for (const client of clients) client.send({ type: "end" });
    await Promise.all(clients.map((client) => client.closed));
    const usage = await db.system.minuteLedgerEntry.aggregate({
      where: { userId: member.id, kind: "USAGE" },
      _sum: { minutes: true },
    });
    expect(usage._sum.minutes).toBe(-1);
    const reasons = (
      await db.system.practiceSession.findMany({
        where: { id: { in: [a.sessionId, b.sessionId] } },
        select: { endReason: true },
      })
    ).map((s) => s.endReason);
    expect(reasons.sort()).toEqual(["QUOTA", "USER"]);
  });

  it("refuses garbage, reused, forged and another tenant's tickets (4401)", async () => {
    const other = await createUser(db, "other@voice.test");
    const otherOrg = await createOrganization(db, other, "Other Co");
    await setPlan(db, otherOrg.id, "team");
    const otherScenario = await callerFor(db, other).practiceScenario.create({
      organizationId: otherOrg.id,
      ...scenarioFields,
    });
    const theirs = await start(other, otherOrg.id, otherScenario.id);
    const mine = await start(owner);

    const attempts = [
      "not a ticket",
      // Their session under my organization's id: not found under my tenant's RLS.
      theirs.ticket.replace(otherOrg.id, orgId),
      // My organization's id on their session's secret.
      `vt1.${orgId}.${mine.sessionId}.${theirs.ticket.split(".")[3]}`,
    ];
    for (const ticket of attempts) {
      const client = new PracticeClient(harness.url);
      const answer = await client.auth(ticket);
      expect(answer).toMatchObject({ type: "error", code: "unauthenticated" });
      expect((await client.closed).code).toBe(4401);
    }
    // The real ticket works once; a second socket with it is refused.
    const first = new PracticeClient(harness.url);
    expect((await first.auth(mine.ticket)).type).toBe("ready");
    const second = new PracticeClient(harness.url);
    expect((await second.auth(mine.ticket)).type).toBe("error");
    expect((await second.closed).code).toBe(4401);
    first.send({ type: "end" });
    await first.closed;

    // A member removed after the start cannot open the socket.
    const leaver = await createUser(db, "leaver@voice.test");
    await addMember(db, orgId, leaver, "MEMBER");
    const leaving = await start(leaver);
    await db.system.membership.deleteMany({ where: { organizationId: orgId, userId: leaver.id } });
    const refused = new PracticeClient(harness.url);
    expect((await refused.auth(leaving.ticket)).type).toBe("error");
    expect((await refused.closed).code).toBe(4401);
    // Another tenant's session is not readable over tRPC either.
    await expect(
      callerFor(db, owner).practice.get({ organizationId: orgId, sessionId: theirs.sessionId }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers bad frames with typed error frames and keeps serving", async () => {
    const client = new PracticeClient(harness.url);
    await client.opened();
    client.ws.send(Buffer.from([1, 2, 3, 4]), { binary: true }); // audio before auth
    client.send("{not json");
    client.send({ type: "auth" }); // no ticket
    client.send({ type: "dance" });
    client.send(JSON.stringify({ type: "auth", ticket: "\u0000" }));
    client.send("[]");
    // Six frames sent, six typed errors expected: wait for them (not a fixed pause, which a
    // loaded machine can outrun).
    const errorFrames = () => client.frames.filter((frame) => frame.type === "error");
    for (const deadline = Date.now() + 5_000; errorFrames().length < 6 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const errors = errorFrames();
    expect(errors.map((frame) => frame.code)).toEqual([
      "not_ready",
      "bad_frame",
      "bad_frame",
      "bad_frame",
      "bad_frame",
      "bad_frame",
    ]);
    const started = await start(owner);
    expect((await client.auth(started.ticket)).type).toBe("ready");
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true }); // odd length: not PCM16
    expect((await client.next("error", (f) => f.code === "invalid_audio")).code).toBe(
      "invalid_audio",
    );
    // Too large a frame: ws closes with 1009; the server keeps serving others.
    client.ws.send(Buffer.alloc(300 * 1024), { binary: true });
    expect((await client.closed).code).toBe(1009);
    const again = await callerFor(db, owner).practice.ticket({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    const next = new PracticeClient(harness.url);
    expect((await next.auth(again.ticket)).type).toBe("ready");
    next.send({ type: "end" });
    expect((await next.closed).code).toBe(1000);
  });

  it("a dropped socket resumes with a new ticket; the transcript continues", async () => {
    const started = await start(owner);
    const first = new PracticeClient(harness.url);
    await first.auth(started.ticket);
    first.sendAudio(Buffer.concat([silence(300), speechPcm, silence(1_200)]));
    await first.next("segment", (frame) => frame.speaker === "TRAINEE");
    first.ws.close();
    await first.closed;
    const again = await callerFor(db, owner).practice.ticket({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    const second = new PracticeClient(harness.url);
    const ready = await second.auth(again.ticket);
    expect(ready).toMatchObject({ type: "ready", resumed: true });
    expect(Number(ready.audioMs)).toBeGreaterThan(speechPcm.length / 32);
    second.sendAudio(Buffer.concat([speechPcm, silence(1_200)]));
    second.send({ type: "end" });
    await second.next("ended");
    const session = await callerFor(db, owner).practice.get({
      organizationId: orgId,
      sessionId: started.sessionId,
    });
    const trainee = session.segments.filter((s) => s.speaker === "TRAINEE");
    const firstPartEnd = Number(ready.audioMs);
    expect(trainee.some((s) => s.startMs < firstPartEnd)).toBe(true);
    expect(trainee.some((s) => s.startMs >= firstPartEnd)).toBe(true);
  });

  it("GDPR: a user's export holds sessions, transcripts, audio and minutes; erasure leaves none", async () => {
    const export_ = await db.system.$transaction((tx) =>
      voiceTrainingModule.gdpr.exportUser!(tx, owner.id),
    );
    const sessions = export_.practiceSessions as {
      segments: unknown[];
      recording: { file: string } | null;
    }[];
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.some((s) => s.segments.length > 0)).toBe(true);
    // The audio is a file of the zip, named in data.json (not repeated there as base64).
    const files = await db.system.$transaction(async (tx) => {
      const found = new Map<string, Uint8Array>();
      for await (const file of voiceTrainingModule.gdpr.exportUserFiles!(tx, owner.id)) {
        found.set(`files/voice-training/${file.path}`, file.bytes);
      }
      return found;
    });
    const recorded = sessions.flatMap((s) => (s.recording ? [s.recording.file] : []));
    expect(recorded.length).toBeGreaterThan(0);
    for (const path of recorded) {
      expect(
        Buffer.from(files.get(path) ?? [])
          .subarray(0, 4)
          .toString("latin1"),
      ).toBe("RIFF");
    }
    expect(JSON.stringify(export_)).not.toContain("UklGR");
    expect((export_.practiceMinutes as unknown[]).length).toBeGreaterThan(0);

    await db.system.$transaction((tx) => voiceTrainingModule.gdpr.deleteUser!(tx, owner.id));
    expect(await db.system.practiceSession.count({ where: { userId: owner.id } })).toBe(0);
    expect(await db.system.minuteLedgerEntry.count({ where: { userId: owner.id } })).toBe(0);
    // Accounting keeps the usage, pseudonymised.
    expect(
      await db.system.minuteLedgerEntry.count({ where: { userId: null, kind: "USAGE" } }),
    ).toBeGreaterThan(0);
  });
});
