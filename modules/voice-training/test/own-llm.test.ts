// A company's own LLM (the prospect and the coach): an admin chooses OpenAI with one of the
// allowed models and its own OpenAI key (the vault's voice.openai.api_key). That company's
// sessions call a local OpenAI-compatible server (@plinth/ai's test server) with its key in
// Authorization and its model; another company's go to the platform's LLM with the platform's
// key; a key gone unreadable falls back to the platform's with a warning. The coach runs in the
// worker's voiceTraining.analyzeSession (graphile-worker here) with the same adapters. The key never
// appears in an answer, the audit log, a log line or the organization export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAICompatibleProvider } from "@plinth/ai";
import {
  startOpenAITestServer,
  type Behaviour,
  type OpenAITestServer,
} from "@plinth/ai/testing/openai-server";
import { createLogger } from "@plinth/core/logger";
import type { SessionUser } from "@plinth/core/scope";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { generateKeyEntry } from "@plinth/vault";
import { parseVoiceEnv } from "../src/env.ts";
import {
  createVoiceProviderResolver,
  createVoiceProviders,
  OWN_OPENAI_LLM_ID,
  PROVIDER_KEY_SECRETS,
  type VoiceProviders,
} from "../src/providers.ts";
import {
  afterEndSettled,
  callerFor,
  consentToRecording,
  createOrganization,
  createUser,
  PracticeClient,
  roomTone,
  scenarioFields,
  setPlan,
  startJobRunner,
  startSocketServer,
  type JobRunner,
  type SocketHarness,
} from "./kit.ts";
import { startSpeechServer, tonePcm, type SpeechServer } from "./speech-server.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const OWN_KEY_A = "sk-llm-company-a-0123456789abcdefUVWX";
const OWN_KEY_C = "sk-llm-company-c-0123456789abcdefKLMN";
const PLATFORM_LLM_KEY = "sk-platform-llm-0123456789abcdefPQRS";
const PLATFORM_STT_KEY = "sk-platform-stt-0123456789abcdefEFGH";
const KEYS = [OWN_KEY_A, OWN_KEY_C];

let db: TestDatabase;
let llmServer: OpenAITestServer;
let speech: SpeechServer;
let harness: SocketHarness;
let jobs: JobRunner;
let platform: VoiceProviders;
const logLines: string[] = [];
const owners: Record<"a" | "b" | "c", SessionUser | null> = { a: null, b: null, c: null };
const orgs: Record<"a" | "b" | "c", { id: string; scenarioId: string }> = {
  a: { id: "", scenarioId: "" },
  b: { id: "", scenarioId: "" },
  c: { id: "", scenarioId: "" },
};
const answers: string[] = [];
const record = <T>(answer: T): T => {
  answers.push(JSON.stringify(answer));
  return answer;
};
const owner = (key: "a" | "b" | "c") => {
  const user = owners[key];
  if (!user) throw new Error("not set up");
  return user;
};
const reply = (text: string): Behaviour => ({ kind: "stream", tokens: text.split(/(?= )/) });

beforeAll(async () => {
  db = await createTestDatabase();
  llmServer = await startOpenAITestServer();
  speech = await startSpeechServer();
  // practice.start and practice.reanalyze use the module's own resolver (voiceEnv()): its
  // OpenAI address is the test server too, never the real API.
  process.env.VOICE_OPENAI_BASE_URL = llmServer.baseURL;
  const logger = createLogger({
    level: "debug",
    destination: { write: (line: string) => void logLines.push(line) },
  });
  // The platform: OpenAI transcription (the speech server: a transcript to answer) and an
  // OpenAI-compatible LLM with the platform's key on the same LLM server.
  const speechProviders = createVoiceProviders(
    parseVoiceEnv({
      VOICE_STT_PROVIDER: "openai",
      VOICE_OPENAI_API_KEY: PLATFORM_STT_KEY,
      VOICE_OPENAI_BASE_URL: `${speech.origin}/v1`,
      VOICE_TTS_PROVIDER: "none",
    }),
    { logger },
  );
  platform = {
    ...speechProviders,
    llm: createOpenAICompatibleProvider({
      apiKey: PLATFORM_LLM_KEY,
      baseURL: llmServer.baseURL,
      logger,
    }),
    model: "platform-model",
  };
  // The socket (the prospect) and the worker's jobs (the coach) resolve the same adapters.
  const providers = createVoiceProviderResolver(
    parseVoiceEnv({ VOICE_OPENAI_BASE_URL: llmServer.baseURL }),
    {
      logger,
      platform,
      ai: { AI_REQUEST_TIMEOUT_MS: 10_000, AI_MAX_RETRIES: 2 },
    },
  );
  harness = await startSocketServer(db, { logger, silenceTimeoutMs: 600_000, providers });
  jobs = await startJobRunner(db, { providers });
  for (const key of ["a", "b", "c"] as const) {
    const user = await createUser(db, `owner-${key}@own-llm.test`);
    owners[key] = user;
    const org = await createOrganization(db, user, `Own LLM ${key}`);
    await setPlan(db, org.id, "team");
    const scenario = await callerFor(db, user).practiceScenario.create({
      organizationId: org.id,
      ...scenarioFields,
    });
    orgs[key] = { id: org.id, scenarioId: scenario.id };
  }
});
afterAll(async () => {
  await jobs.stop();
  await harness.close();
  await llmServer.close();
  await speech.close();
  await db.drop();
});

/** One session: a trainee utterance (transcribed by the platform's OpenAI), the reply, the end. */
async function practise(key: "a" | "b" | "c") {
  const user = owner(key);
  const org = orgs[key];
  await consentToRecording(db, user);
  const started = record(
    await callerFor(db, user).practice.start({
      organizationId: org.id,
      scenarioId: org.scenarioId,
    }),
  );
  const client = new PracticeClient(harness.url);
  const ready = await client.auth(started.ticket);
  client.sendAudio(Buffer.concat([roomTone(300), tonePcm(1200), roomTone(1200)]));
  await client.next("reply");
  client.send({ type: "end" });
  await client.next("ended");
  // The coach's feedback comes from the worker's voiceTraining.analyzeSession.
  await afterEndSettled(db, started.sessionId);
  const session = await db.system.practiceSession.findUniqueOrThrow({
    where: { id: started.sessionId },
    select: {
      llmProvider: true,
      segments: { orderBy: { seq: "asc" }, select: { speaker: true, text: true } },
      feedback: { select: { provider: true, model: true, offline: true, summary: true } },
    },
  });
  return { started, ready, feedback: session.feedback[0], session };
}

describe("a company's own LLM", { timeout: 60_000 }, () => {
  it("is refused without the company's OpenAI key, and with a model off the list", async () => {
    await expect(
      callerFor(db, owner("a")).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: null,
        textToSpeech: null,
        llm: { provider: "openai", model: "gpt-4.1-mini" },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      callerFor(db, owner("a")).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: null,
        textToSpeech: null,
        // Not an allowed model (the cast only gets it past the compiler).
        llm: { provider: "openai", model: "o1-pro" as "gpt-4o" },
        keys: { openai: OWN_KEY_A },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Nothing stored by either refusal.
    expect(await db.system.vaultSecret.count({ where: { organizationId: orgs.a.id } })).toBe(0);
  });

  it("stores the choice; the answer says which model and whether a key is stored", async () => {
    const saved = record(
      await callerFor(db, owner("a")).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: null,
        textToSpeech: null,
        llm: { provider: "openai", model: "gpt-4.1-mini" },
        keys: { openai: OWN_KEY_A },
      }),
    );
    expect(saved).toMatchObject({
      speechToText: null,
      llm: { provider: "openai", model: "gpt-4.1-mini" },
      keys: { openai: { set: true, hint: "••••UVWX" } },
      platform: { llm: { id: "offline", offline: true } },
    });
    // Left out, the LLM choice stays (callers from before it keep working).
    const kept = record(
      await callerFor(db, owner("a")).practice.updateProviders({
        organizationId: orgs.a.id,
        speechToText: null,
        textToSpeech: null,
      }),
    );
    expect(kept.llm).toEqual({ provider: "openai", model: "gpt-4.1-mini" });
    const readB = record(
      await callerFor(db, owner("b")).practice.providers({ organizationId: orgs.b.id }),
    );
    expect(readB).toMatchObject({ llm: null, keys: { openai: null } });
  });

  it("company A's prospect and coach call OpenAI with A's key and model", async () => {
    llmServer.requests.length = 0;
    // The first call fails with A's key in its body: retried, and scrubbed from the logs.
    llmServer.script(
      {
        kind: "error",
        status: 500,
        body: { error: { message: `upstream rejected key ${OWN_KEY_A}` } },
      },
      reply("No budget this quarter, sorry."),
      reply("Good questions; ask for the demo sooner."),
    );
    const { started, ready, feedback, session } = await practise("a");
    expect(started.providers.llm).toEqual({
      name: "OpenAI gpt-4.1-mini (company key)",
      offline: false,
    });
    expect(ready).toMatchObject({
      providers: { llm: { name: "OpenAI gpt-4.1-mini (company key)", offline: false } },
    });
    expect(session.llmProvider).toBe(OWN_OPENAI_LLM_ID);
    expect(session.segments).toEqual([
      { speaker: "TRAINEE", text: "What's your budget?" },
      { speaker: "PROSPECT", text: "No budget this quarter, sorry." },
    ]);
    expect(feedback).toMatchObject({
      offline: false,
      summary: "Good questions; ask for the demo sooner.",
    });
    expect(session.feedback).toEqual([
      {
        provider: "openai-compatible",
        model: "gpt-4.1-mini-2026-01-01",
        offline: false,
        summary: "Good questions; ask for the demo sooner.",
      },
    ]);
    expect(llmServer.requests).toHaveLength(3);
    for (const request of llmServer.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${OWN_KEY_A}`);
      expect(request.body.model).toBe("gpt-4.1-mini");
    }
    expect(logLines.join("")).toContain("retrying");
    // practice.reanalyze uses the company's LLM too.
    llmServer.requests.length = 0;
    llmServer.script(reply("Again: well done."));
    const again = record(
      await callerFor(db, owner("a")).practice.reanalyze({
        organizationId: orgs.a.id,
        sessionId: started.sessionId,
      }),
    );
    expect(again).toMatchObject({ revision: 2, offline: false, summary: "Again: well done." });
    expect(llmServer.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${OWN_KEY_A}`,
    ]);
  });

  it("company B's session uses the platform's LLM and key", async () => {
    llmServer.requests.length = 0;
    llmServer.script(reply("We use a spreadsheet."), reply("Ask more questions."));
    const { ready, session } = await practise("b");
    expect(session.llmProvider).toBe("openai-compatible");
    expect(ready).toMatchObject({ providers: { llm: { name: "OpenAI-compatible API" } } });
    expect(llmServer.requests).toHaveLength(2);
    for (const request of llmServer.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${PLATFORM_LLM_KEY}`);
      expect(request.body.model).toBe("platform-model");
    }
  });

  it("a key gone unreadable falls back to the platform's, logged without the key", async () => {
    record(
      await callerFor(db, owner("c")).practice.updateProviders({
        organizationId: orgs.c.id,
        speechToText: null,
        textToSpeech: null,
        llm: { provider: "openai", model: "gpt-4o" },
        keys: { openai: OWN_KEY_C },
      }),
    );
    // A tampered entry: its authentication tag no longer matches.
    await db.system.vaultSecret.updateMany({
      where: { organizationId: orgs.c.id, name: PROVIDER_KEY_SECRETS.openai },
      data: { authTag: Buffer.alloc(16) },
    });
    llmServer.requests.length = 0;
    llmServer.script(reply("Send me an email."), reply("Fine."));
    const { session } = await practise("c");
    expect(session.llmProvider).toBe("openai-compatible");
    expect(llmServer.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${PLATFORM_LLM_KEY}`,
      `Bearer ${PLATFORM_LLM_KEY}`,
    ]);
    const warnings = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.organizationId === orgs.c.id && line.vendor === "openai");
    expect(String(warnings[0]?.msg)).toContain("cannot be read");
  });

  it("deleting the OpenAI key puts the LLM back on the platform's", async () => {
    const after = record(
      await callerFor(db, owner("a")).practice.deleteProviderKey({
        organizationId: orgs.a.id,
        vendor: "openai",
      }),
    );
    expect(after).toMatchObject({ llm: null, keys: { openai: null } });
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId: orgs.a.id, action: "practice.provider_key.deleted" },
      select: { changes: true },
    });
    expect(audit.changes).toMatchObject({ llmModel: { from: "gpt-4.1-mini", to: null } });
  });

  it("no key in any answer, audit entry, log line or the organization's export", async () => {
    const audit = await db.system.auditLog.findMany({
      where: { action: { startsWith: "practice.provider" } },
      select: { changes: true },
    });
    expect(JSON.stringify(audit)).toContain('"llmModel"');
    const exported = await callerFor(db, owner("c")).organization.exportData({
      organizationId: orgs.c.id,
    });
    expect(JSON.stringify(exported)).toContain('"llmModel":"gpt-4o"');
    expect(answers.length).toBeGreaterThan(5);
    const haystacks = [...answers, JSON.stringify(audit), ...logLines, JSON.stringify(exported)];
    for (const key of KEYS) {
      for (const probe of [key, key.slice(0, -4)]) {
        expect(haystacks.filter((text) => text.includes(probe))).toEqual([]);
      }
    }
  });
});
