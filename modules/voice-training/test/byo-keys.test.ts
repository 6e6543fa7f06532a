// A company's own speech adapters and keys (bring your own): an admin chooses Deepgram /
// OpenAI / ElevenLabs and stores its keys in the vault; that company's sessions call the
// vendor (a local server shaped like it) with its own key, another company's do not; the key
// never appears in an answer, the audit log, a log line or the organization export, and goes
// with the organization.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@plinth/core/logger";
import type { SessionUser } from "@plinth/core/scope";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { generateKeyEntry } from "@plinth/vault";
import { parseVoiceEnv } from "../src/env.ts";
import { voiceTrainingModule } from "../src/index.ts";
import { createVoiceProviderResolver, PROVIDER_KEY_SECRETS } from "../src/providers.ts";
import {
  addMember,
  callerFor,
  consentToRecording,
  createOrganization,
  createUser,
  offlineProviders,
  PracticeClient,
  roomTone,
  scenarioFields,
  setPlan,
  startSocketServer,
  type SocketHarness,
} from "./kit.ts";
import { startSpeechServer, tonePcm, type SpeechServer } from "./speech-server.ts";

// The vault's keyring for this process (putSecret and readSecret read ENCRYPTION_KEYS).
process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const DEEPGRAM_KEY_A = "dg-company-a-0123456789abcdefWXYZ";
const ELEVENLABS_KEY_A = "el-company-a-0123456789abcdefQRST";
const OPENAI_KEY_B = "sk-company-b-0123456789abcdefLMNO";
const KEYS = [DEEPGRAM_KEY_A, ELEVENLABS_KEY_A, OPENAI_KEY_B];

let db: TestDatabase;
let vendor: SpeechServer;
let harness: SocketHarness;
const logLines: string[] = [];
let ownerA: SessionUser;
let ownerB: SessionUser;
let ownerC: SessionUser;
let memberA: SessionUser;
const orgs: Record<"a" | "b" | "c", { id: string; slug: string; scenarioId: string }> = {
  a: { id: "", slug: "", scenarioId: "" },
  b: { id: "", slug: "", scenarioId: "" },
  c: { id: "", slug: "", scenarioId: "" },
};
/** Every answer of the test's procedure calls, as JSON (scanned for the keys at the end). */
const answers: string[] = [];
const record = <T>(answer: T): T => {
  answers.push(JSON.stringify(answer));
  return answer;
};

beforeAll(async () => {
  db = await createTestDatabase();
  vendor = await startSpeechServer();
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const env = parseVoiceEnv({
    VOICE_OPENAI_BASE_URL: `${vendor.origin}/v1`,
    DEEPGRAM_BASE_URL: vendor.origin,
    ELEVENLABS_BASE_URL: vendor.origin,
  });
  harness = await startSocketServer(db, {
    logger,
    silenceTimeoutMs: 600_000,
    providers: createVoiceProviderResolver(env, { logger, platform: offlineProviders() }),
  });
  ownerA = await createUser(db, "owner-a@byo.test");
  ownerB = await createUser(db, "owner-b@byo.test");
  ownerC = await createUser(db, "owner-c@byo.test");
  memberA = await createUser(db, "member-a@byo.test");
  for (const [key, owner] of [
    ["a", ownerA],
    ["b", ownerB],
    ["c", ownerC],
  ] as const) {
    const org = await createOrganization(db, owner, `BYO ${key}`);
    await setPlan(db, org.id, "team");
    const scenario = await callerFor(db, owner).practiceScenario.create({
      organizationId: org.id,
      ...scenarioFields,
    });
    orgs[key] = { id: org.id, slug: org.slug, scenarioId: scenario.id };
  }
  await addMember(db, orgs.a.id, memberA, "MEMBER");
});
afterAll(async () => {
  await harness.close();
  await vendor.close();
  await db.drop();
});

/** One session: a 1.2 s utterance, its transcript segment, the prospect's reply, the end. */
async function practise(owner: SessionUser, org: (typeof orgs)["a"]) {
  await consentToRecording(db, owner);
  const started = record(
    await callerFor(db, owner).practice.start({
      organizationId: org.id,
      scenarioId: org.scenarioId,
    }),
  );
  const client = new PracticeClient(harness.url);
  const ready = await client.auth(started.ticket);
  client.sendAudio(Buffer.concat([roomTone(300), tonePcm(1200), roomTone(1200)]));
  client.send({ type: "end" });
  await client.next("ended");
  const session = await db.system.practiceSession.findUniqueOrThrow({
    where: { id: started.sessionId },
    select: {
      sttProvider: true,
      ttsProvider: true,
      segments: { orderBy: { seq: "asc" }, select: { speaker: true, text: true } },
    },
  });
  return { started, ready, session, audioBytes: client.audio.reduce((n, b) => n + b.length, 0) };
}

describe("a company's own speech adapters and keys", { timeout: 60_000 }, () => {
  it("is refused without the company's key, and to members", async () => {
    const refused = callerFor(db, ownerA).practice.updateProviders({
      organizationId: orgs.a.id,
      speechToText: "deepgram",
      textToSpeech: null,
    });
    await expect(refused).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(db, memberA).practice.providers({ organizationId: orgs.a.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(db, memberA).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: "pocketsphinx",
        textToSpeech: null,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("stores keys write-only: the answer says set, the last 4 characters and when", async () => {
    const saved = record(
      await callerFor(db, ownerA).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: "deepgram",
        textToSpeech: "elevenlabs",
        keys: { deepgram: DEEPGRAM_KEY_A, elevenlabs: ELEVENLABS_KEY_A },
      }),
    );
    expect(saved).toMatchObject({
      speechToText: "deepgram",
      textToSpeech: "elevenlabs",
      keys: {
        openai: null,
        deepgram: { set: true, hint: "••••WXYZ" },
        elevenlabs: { set: true, hint: "••••QRST" },
      },
      platform: { speechToText: { id: "pocketsphinx", offline: true } },
    });
    expect(saved.keys.deepgram?.updatedAt).toBeInstanceOf(Date);
    record(
      await callerFor(db, ownerB).practice.updateProviders({
        organizationId: orgs.b.id,
        speechToText: "openai",
        textToSpeech: "none",
        keys: { openai: OPENAI_KEY_B },
      }),
    );
    // Company A's answer knows nothing of B's key, and the reverse.
    const readA = record(
      await callerFor(db, ownerA).practice.providers({ organizationId: orgs.a.id }),
    );
    const readB = record(
      await callerFor(db, ownerB).practice.providers({ organizationId: orgs.b.id }),
    );
    expect(readA.keys.openai).toBeNull();
    expect(readB.keys).toMatchObject({ openai: { set: true }, deepgram: null, elevenlabs: null });
    // Another company's admin cannot read or change A's (not a member: NOT_FOUND).
    await expect(
      callerFor(db, ownerB).practice.providers({ organizationId: orgs.a.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("company A's session calls Deepgram and ElevenLabs with A's keys", async () => {
    vendor.requests.length = 0;
    // The first Deepgram call fails with the key in its body: retried, and scrubbed from logs.
    vendor.failNextEchoingKey();
    const { started, ready, session, audioBytes } = await practise(ownerA, orgs.a);
    expect(started.providers).toMatchObject({
      stt: { name: "Deepgram", offline: false },
      tts: { name: "ElevenLabs", offline: false },
      llm: { offline: true },
    });
    expect(ready).toMatchObject({
      type: "ready",
      providers: { stt: { name: "Deepgram", offline: false }, tts: { name: "ElevenLabs" } },
    });
    expect(session.sttProvider).toBe("deepgram");
    expect(session.ttsProvider).toBe("elevenlabs");
    expect(session.segments[0]).toEqual({ speaker: "TRAINEE", text: "what's your budget" });
    expect(session.segments.some((segment) => segment.speaker === "PROSPECT")).toBe(true);
    expect(audioBytes).toBe(tonePcm(500).length); // ElevenLabs' answer, played back
    const listen = vendor.requests.filter((request) => request.path === "/v1/listen");
    const speak = vendor.requests.filter((request) =>
      request.path.startsWith("/v1/text-to-speech/"),
    );
    expect(listen.length).toBe(2); // the scripted 500, then the retry
    expect(listen.every((request) => request.key === DEEPGRAM_KEY_A)).toBe(true);
    expect(speak.length).toBeGreaterThanOrEqual(1);
    expect(speak.every((request) => request.key === ELEVENLABS_KEY_A)).toBe(true);
  });

  it("company B's session calls OpenAI with B's key; company C stays on the platform's", async () => {
    vendor.requests.length = 0;
    const b = await practise(ownerB, orgs.b);
    expect(b.session.sttProvider).toBe("openai");
    expect(b.session.ttsProvider).toBeNull();
    expect(b.started.providers.tts).toBeNull();
    expect(b.audioBytes).toBe(0);
    expect(vendor.requests.map((request) => [request.path, request.key])).toEqual([
      ["/v1/audio/transcriptions", OPENAI_KEY_B],
    ]);

    vendor.requests.length = 0;
    const c = await practise(ownerC, orgs.c);
    expect(c.session.sttProvider).toBe("pocketsphinx");
    expect(c.session.ttsProvider).toBe("espeak-ng");
    expect(c.ready).toMatchObject({
      providers: { stt: { offline: true }, tts: { offline: true } },
    });
    expect(vendor.requests).toEqual([]);
  });

  it("deleting a key puts the choice that needed it back on the platform's adapter", async () => {
    const after = record(
      await callerFor(db, ownerB).practice.deleteProviderKey({
        organizationId: orgs.b.id,
        vendor: "openai",
      }),
    );
    expect(after).toMatchObject({
      speechToText: null,
      textToSpeech: "none",
      keys: { openai: null },
    });
    vendor.requests.length = 0;
    const b = await practise(ownerB, orgs.b);
    expect(b.session.sttProvider).toBe("pocketsphinx");
    expect(vendor.requests).toEqual([]);
  });

  it("no key in any answer, audit entry, log line or the organization's export", async () => {
    expect(answers.length).toBeGreaterThan(6);
    const audit = await db.system.auditLog.findMany({
      where: { action: { startsWith: "practice.provider" } },
      select: { action: true, changes: true },
    });
    expect(audit.map((entry) => entry.action).sort()).toEqual([
      "practice.provider_key.deleted",
      "practice.providers.updated",
      "practice.providers.updated",
    ]);
    const exported = await callerFor(db, ownerA).organization.exportData({
      organizationId: orgs.a.id,
    });
    expect(JSON.stringify(exported)).toContain('"speechToText":"deepgram"');
    // The scripted 500 was logged (retry), with the key scrubbed out of its message.
    expect(logLines.join("")).toContain("retry");
    const haystacks = [...answers, JSON.stringify(audit), ...logLines, JSON.stringify(exported)];
    for (const key of KEYS) {
      for (const probe of [key, key.slice(0, -4)]) {
        expect(haystacks.filter((text) => text.includes(probe))).toEqual([]);
      }
    }
  });

  it("the organization's erasure removes its keys from the vault", async () => {
    const names = Object.values(PROVIDER_KEY_SECRETS);
    const countFor = (organizationId: string) =>
      db.system.vaultSecret.count({ where: { organizationId, name: { in: names } } });
    expect(await countFor(orgs.a.id)).toBe(2);
    // The module's own hook (the organization still exists) …
    await db.system.$transaction((tx) =>
      voiceTrainingModule.gdpr.deleteOrganization!(tx, orgs.a.id),
    );
    expect(await countFor(orgs.a.id)).toBe(0);
    // … and the whole deletion, through the procedure.
    await callerFor(db, ownerB).practice.updateProviders({
      organizationId: orgs.b.id,
      speechToText: "openai",
      textToSpeech: null,
      keys: { openai: OPENAI_KEY_B },
    });
    expect(await countFor(orgs.b.id)).toBe(1);
    await callerFor(db, ownerB).organization.delete({
      organizationId: orgs.b.id,
      confirmSlug: orgs.b.slug,
    });
    expect(await countFor(orgs.b.id)).toBe(0);
  });
});
