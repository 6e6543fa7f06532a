// AI tasks end to end below the transports' edge: templates through tRPC, tasks queued as
// graphile-worker jobs, each attempt run by the worker's handler against the real `openai` SDK
// pointed at a local OpenAI-compatible server (streaming, 429 + Retry-After, 500, hangs,
// invalid JSON), on real PostgreSQL. Plus the offline provider, quotas, batches, the token
// stream and bring-your-own keys.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startOpenAITestServer, type OpenAITestServer } from "@plinth/ai/testing/openai-server";
import { recordUsage } from "@plinth/billing/usage";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import pg from "pg";
import { TRPCError } from "@plinth/trpc/testing";
import { z } from "zod";
import { executeTaskAttempt } from "../src/execute.ts";
import { MAX_TASK_ATTEMPTS } from "../src/jobs.ts";
import {
  callerFor,
  capturingLogger,
  createOrganization,
  createUser,
  drainJobs,
  queuedJobs,
  runNextJob,
  setPlan,
  workerDeps,
} from "./kit.ts";

let db: TestDatabase;
let server: OpenAITestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
  await db.drop();
});
beforeEach(async () => {
  server.requests.length = 0;
  // Jobs left by an earlier test must not run in this one.
  await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
});

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  const { AppError } = await import("@plinth/core/errors");
  return {
    code: error.code,
    appError: error.cause instanceof AppError ? error.cause.data : null,
  };
}

let counter = 0;
async function tenant(plan = "enterprise") {
  counter += 1;
  const owner = await createUser(db, `owner${counter}@ai.test`);
  const org = await createOrganization(db, owner, `AI Org ${counter}`);
  await setPlan(db, org.id, plan);
  const api = callerFor(db, owner);
  return { owner, org, api, organizationId: org.id };
}

const summarise = {
  name: "Summarise",
  provider: "openai" as const,
  model: "gpt-4o-mini",
  systemPrompt: "Be brief.",
  promptTemplate: "Summarise {{text}} in {{words}} words",
  variables: [
    { name: "text", type: "string" as const, required: true },
    { name: "words", type: "number" as const, required: true },
  ],
};

describe("templates", () => {
  it("create, list, update, archive; placeholders must match the declared variables", async () => {
    const { api, organizationId } = await tenant();
    const created = await api.aiTemplate.create({ organizationId, ...summarise });
    expect(created).toMatchObject({ name: "Summarise", provider: "openai", outputSchema: null });
    expect(created.variables.map((v) => v.name)).toEqual(["text", "words"]);

    const mismatch = await refusal(
      api.aiTemplate.create({ organizationId, ...summarise, name: "Bad", variables: [] }),
    );
    expect(mismatch.code).toBe("BAD_REQUEST");
    expect(mismatch.appError).toMatchObject({ code: "INVALID_INPUT", field: "promptTemplate" });

    const badSchema = await refusal(
      api.aiTemplate.create({ organizationId, ...summarise, name: "Bad 2", outputSchema: "{x" }),
    );
    expect(badSchema.appError).toMatchObject({ code: "INVALID_INPUT", field: "outputSchema" });

    const duplicate = await refusal(api.aiTemplate.create({ organizationId, ...summarise }));
    expect(duplicate.appError).toEqual({ code: "CONFLICT", field: "name" });

    const updated = await api.aiTemplate.update({
      organizationId,
      templateId: created.id,
      ...summarise,
      model: "gpt-4.1-mini",
      temperature: 0.3,
    });
    expect(updated).toMatchObject({ model: "gpt-4.1-mini", temperature: 0.3 });
    await api.aiTemplate.archive({ organizationId, templateId: created.id });
    expect(await api.aiTemplate.list({ organizationId })).toEqual([]);
    const refused = await refusal(
      api.aiTask.run({ organizationId, templateId: created.id, input: { text: "x", words: 3 } }),
    );
    expect(refused.appError).toMatchObject({ code: "INVALID_STATE" });
  });

  it("a task's input is checked against the template's typed variables", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const missing = await refusal(
      api.aiTask.run({ organizationId, templateId: template.id, input: { text: "x" } }),
    );
    expect(missing.appError).toMatchObject({ code: "INVALID_INPUT", field: "input" });
    const unknown = await refusal(
      api.aiTask.run({
        organizationId,
        templateId: template.id,
        input: { text: "x", words: 3, extra: "no" },
      }),
    );
    expect(unknown.appError).toMatchObject({ code: "INVALID_INPUT", field: "input" });
    expect(await api.aiTask.list({ organizationId })).toEqual([]);
  });
});

describe("running tasks through the OpenAI-compatible adapter (real SDK, local server)", () => {
  it("streams tokens into chunks, stores the result, tokens, cost and latency; counts ai.tokens", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "the report", words: 5 },
    });
    expect(queued).toMatchObject({ status: "QUEUED", attempts: 0, result: null });
    server.script({
      kind: "stream",
      tokens: ["The ", "report ", "is ", "short."],
      usage: { prompt_tokens: 1_000, completion_tokens: 2_000 },
    });
    await runNextJob(
      db,
      workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-key-0001" }),
    );

    const task = await api.aiTask.get({ organizationId, taskId: queued.id });
    expect(task).toMatchObject({
      status: "SUCCEEDED",
      result: { text: "The report is short." },
      provider: "openai",
      offline: false,
      keySource: "platform",
      model: "gpt-4o-mini-2026-01-01",
      promptTokens: 1_000,
      completionTokens: 2_000,
      tokensEstimated: false,
      attempts: 1,
      // gpt-4o-mini: $0.15 / $0.60 per 1M → 1000·15e6/1e6 + 2000·60e6/1e6 micro-cents.
      costMicroCents: 15_000 + 120_000,
    });
    expect(task.latencyMs).toBeGreaterThanOrEqual(0);
    const request = server.requests[0];
    expect(request?.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: true,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Summarise the report in 5 words" },
      ],
    });
    const chunks = await db.system.aiTaskChunk.findMany({
      where: { taskId: queued.id },
      orderBy: { seq: "asc" },
    });
    expect(chunks.map((chunk) => chunk.text).join("")).toBe("The report is short.");
    expect(chunks[0]?.text).toBe("The "); // the first token is written at once
    const tokens = await db.system.usageCounter.findFirst({
      where: { organizationId, meter: "ai.tokens" },
    });
    expect(Number(tokens?.quantity)).toBe(3_000);
  });

  it("concurrent tasks: each first token at once, later chunks shared in multi-row inserts, every stream whole and in order", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const tasks = 6;
    const tokens = ["a ", "b ", "c ", "d ", "e ", "f"];
    const ids: string[] = [];
    for (let i = 0; i < tasks; i++) {
      const queued = await api.aiTask.run({
        organizationId,
        templateId: template.id,
        input: { text: `t${i}`, words: 1 },
      });
      ids.push(queued.id);
    }
    server.script(
      ...Array.from({ length: tasks }, () => ({
        kind: "stream" as const,
        tokens,
        tokenDelayMs: 15,
      })),
    );
    // Every chunk INSERT this process sends: the first-token one (create … RETURNING) and the
    // writer's shared batches (createMany), with how many rows each carried.
    const inserts: { returning: boolean; rows: number }[] = [];
    const prototype = pg.Client.prototype as unknown as {
      query: (this: pg.Client, ...args: unknown[]) => unknown;
    };
    const original = prototype.query;
    prototype.query = function (this: pg.Client, ...args: unknown[]) {
      // Prisma's adapter passes one query config ({ text, values, … }).
      const query = z
        .object({ text: z.string(), values: z.array(z.unknown()).optional() })
        .safeParse(args[0]);
      if (query.success && /INSERT INTO "public"\."ai_task_chunks"/.test(query.data.text)) {
        const params = query.data.values?.length ?? 0;
        inserts.push({ returning: /RETURNING/.test(query.data.text), rows: params / 5 });
      }
      return original.apply(this, args);
    };
    try {
      const jobs = await queuedJobs(db);
      expect(jobs).toHaveLength(tasks);
      await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      const deps = workerDeps(db, {
        baseURL: server.baseURL,
        platformKey: "sk-platform-key-0001",
        flushMs: 40,
      });
      await Promise.all(
        jobs.map((job) => executeTaskAttempt(deps, job.payload, new AbortController().signal)),
      );
    } finally {
      prototype.query = original;
    }

    for (const id of ids) {
      expect((await api.aiTask.get({ organizationId, taskId: id })).status).toBe("SUCCEEDED");
      const chunks = await db.system.aiTaskChunk.findMany({
        where: { taskId: id },
        orderBy: { seq: "asc" },
      });
      expect(chunks.map((chunk) => chunk.text).join("")).toBe(tokens.join(""));
      expect(chunks.map((chunk) => chunk.seq)).toEqual(chunks.map((_, index) => index + 1));
      expect(chunks[0]?.text).toBe("a ");
    }
    // One immediate insert per task (its first token); the rest went out in shared batches,
    // at least one of them carrying rows of several tasks.
    expect(inserts.filter((insert) => insert.returning)).toHaveLength(tasks);
    const batches = inserts.filter((insert) => !insert.returning);
    expect(batches.length).toBeGreaterThan(0);
    expect(Math.max(...batches.map((batch) => batch.rows))).toBeGreaterThan(1);
  });

  it("a task whose cancellation was requested before its attempt started ends CANCELLED without a call", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    // As if a worker died mid-call (RUNNING) and the cancel came before the job ran again.
    await db.system.aiTask.update({
      where: { id: queued.id },
      data: { status: "RUNNING", cancelRequestedAt: new Date() },
    });
    server.script({ kind: "stream", tokens: ["never"] });
    await runNextJob(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }));
    expect(server.requests).toHaveLength(0);
    const task = await api.aiTask.get({ organizationId, taskId: queued.id });
    expect(task.status).toBe("CANCELLED");
    expect(task.finishedAt).not.toBeNull();
  });

  it("a 429 with Retry-After reschedules the attempt at that time; the next one succeeds", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    server.script(
      { kind: "error", status: 429, headers: { "retry-after": "120" } },
      { kind: "stream", tokens: ["ok"] },
    );
    const deps = workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-key-0001" });
    await runNextJob(db, deps);
    const waiting = await api.aiTask.get({ organizationId, taskId: queued.id });
    expect(waiting).toMatchObject({ status: "QUEUED", errorCode: "rate_limited", attempts: 1 });
    const [retry] = await queuedJobs(db);
    expect(retry?.payload.attempt).toBe(2);
    const delayMs = (retry?.run_at.getTime() ?? 0) - (retry?.now.getTime() ?? 0);
    expect(delayMs).toBeGreaterThan(100_000); // Retry-After: 120 s, not the 10 ms backoff
    await runNextJob(db, deps);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "SUCCEEDED",
      attempts: 2,
      errorCode: null,
      result: { text: "ok" },
    });
  });

  it("5xx on every attempt: retried with backoff up to the limit, then FAILED", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    server.script(
      ...Array.from({ length: MAX_TASK_ATTEMPTS }, () => ({ kind: "error" as const, status: 500 })),
    );
    const runs = await drainJobs(
      db,
      workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-key-0001" }),
    );
    expect(runs).toBe(MAX_TASK_ATTEMPTS);
    expect(server.requests).toHaveLength(MAX_TASK_ATTEMPTS);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "FAILED",
      errorCode: "provider_unavailable",
      attempts: MAX_TASK_ATTEMPTS,
    });
  });

  it("a 400 is not retried", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    server.script({ kind: "error", status: 400, body: { error: { message: "bad model" } } });
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }));
    expect(server.requests).toHaveLength(1);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "FAILED",
      errorCode: "request_rejected",
    });
  });

  it("output that does not match the template's JSON Schema is a failed attempt, retried", async () => {
    const { api, organizationId } = await tenant();
    const schema = {
      type: "object",
      properties: { sentiment: { enum: ["positive", "negative"] }, score: { type: "number" } },
      required: ["sentiment", "score"],
      additionalProperties: false,
    };
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      name: "Sentiment",
      outputSchema: JSON.stringify(schema),
    });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "great", words: 1 },
    });
    server.script(
      { kind: "stream", tokens: ["not ", "json"] },
      { kind: "stream", tokens: ['{"sentiment":"meh","score":1}'] },
      { kind: "stream", tokens: ['{"sentiment":', '"positive","score":0.9}'] },
    );
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }));
    expect(server.requests).toHaveLength(3);
    // The schema went to the provider as response_format json_schema.
    expect(server.requests[0]?.body.response_format).toMatchObject({ type: "json_schema" });
    const task = await api.aiTask.get({ organizationId, taskId: queued.id });
    expect(task).toMatchObject({
      status: "SUCCEEDED",
      attempts: 3,
      result: { sentiment: "positive", score: 0.9 },
    });
  });

  it("cancelling a running task aborts the provider call (the server sees the connection close)", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    server.script({ kind: "stream", tokens: ["one ", "two ", "three"], stallAfter: 1 });
    const [job] = await queuedJobs(db);
    if (!job) throw new Error("no job queued");
    const attempt = executeTaskAttempt(
      workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }),
      job.payload,
      new AbortController().signal,
    );
    // Wait for the first token to be stored (the task is RUNNING from then on), then cancel.
    // Generous: a loaded machine took over 4 s to get there.
    await vi.waitFor(
      async () => {
        expect(await db.system.aiTaskChunk.count({ where: { taskId: queued.id } })).toBeGreaterThan(
          0,
        );
      },
      { timeout: 30_000, interval: 10 },
    );
    expect((await api.aiTask.get({ organizationId, taskId: queued.id })).status).toBe("RUNNING");
    // The answer may already say CANCELLED: the worker polls for the request every 25 ms here.
    await api.aiTask.cancel({ organizationId, taskId: queued.id });
    await attempt;
    expect(await server.requests[0]?.closed).toBe(true);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "CANCELLED",
      result: null,
    });
    const again = await refusal(api.aiTask.cancel({ organizationId, taskId: queued.id }));
    expect(again.appError).toMatchObject({ code: "INVALID_STATE" });
  });

  it("a queued task cancels at once and its job does nothing", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    expect((await api.aiTask.cancel({ organizationId, taskId: queued.id })).status).toBe(
      "CANCELLED",
    );
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }));
    expect(server.requests).toHaveLength(0);
  });
});

describe("the offline demo provider", () => {
  it("answers without a key or network, labelled offline, deterministic, valid against the schema", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
      model: "offline-demo",
      name: "Offline",
      outputSchema: JSON.stringify({
        type: "object",
        properties: { summary: { type: "string", minLength: 3 } },
        required: ["summary"],
      }),
    });
    const first = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "hello", words: 2 },
    });
    const second = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "hello", words: 2 },
    });
    await drainJobs(db, workerDeps(db)); // no base URL, no key
    const [a, b] = await Promise.all([
      api.aiTask.get({ organizationId, taskId: first.id }),
      api.aiTask.get({ organizationId, taskId: second.id }),
    ]);
    expect(a).toMatchObject({
      status: "SUCCEEDED",
      offline: true,
      provider: "offline",
      keySource: "none",
    });
    expect(z.object({ summary: z.string().min(3) }).safeParse(a.result).success).toBe(true);
    expect(b.result).toEqual(a.result);
    expect(a.tokensEstimated).toBe(true);
    expect(a.costMicroCents).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("an openai template without any key fails with provider_not_configured", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL }));
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "FAILED",
      errorCode: "provider_not_configured",
    });
  });
});

describe("quotas", () => {
  it("ai.tasks counts one per task and refuses past the trial's quota with the upgrade offer", async () => {
    const { api, organizationId } = await tenant("trial");
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
    });
    await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    const used = await db.system.usageCounter.findFirst({
      where: { organizationId, meter: "ai.tasks" },
    });
    expect(Number(used?.quantity)).toBe(1);
    await recordUsage(db.system, { organizationId, meter: "ai.tasks", quantity: 19 });
    const refused = await refusal(
      api.aiTask.run({ organizationId, templateId: template.id, input: { text: "a", words: 1 } }),
    );
    expect(refused.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.appError).toEqual({
      code: "QUOTA_EXCEEDED",
      meter: "ai.tasks",
      meterLabel: "AI tasks",
      used: 20,
      included: 20,
      currentPlan: "trial",
      upgrade: { planKey: "payg", planName: "Pay as you go" },
    });
    expect(await api.aiTask.list({ organizationId })).toHaveLength(1);
  });

  it("a plan that caps ai.tokens refuses new tasks once the tokens are used up", async () => {
    const { api, organizationId } = await tenant("trial");
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
    });
    await recordUsage(db.system, { organizationId, meter: "ai.tokens", quantity: 200_000 });
    const refused = await refusal(
      api.aiTask.run({ organizationId, templateId: template.id, input: { text: "a", words: 1 } }),
    );
    expect(refused.appError).toMatchObject({
      code: "QUOTA_EXCEEDED",
      meter: "ai.tokens",
      used: 200_000,
      included: 200_000,
      upgrade: { planKey: "payg" },
    });
  });

  it("the same idempotency key answers the first task and counts nothing more", async () => {
    const { api, organizationId } = await tenant("pro");
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
    });
    const input = { organizationId, templateId: template.id, input: { text: "a", words: 1 } };
    const first = await api.aiTask.run({ ...input, idempotencyKey: "order-42" });
    const again = await api.aiTask.run({ ...input, idempotencyKey: "order-42" });
    expect(again.id).toBe(first.id);
    const used = await db.system.usageCounter.findFirst({
      where: { organizationId, meter: "ai.tasks" },
    });
    expect(Number(used?.quantity)).toBe(1);
    expect(await queuedJobs(db)).toHaveLength(1);
  });
});

describe("bring your own key", () => {
  it("the organization's key replaces the platform's, and never appears in an answer or a log line", async () => {
    const { api, organizationId } = await tenant();
    const ownKey = "sk-org-own-secret-key-7788";
    const platformKey = "sk-platform-secret-key-1234";
    const before = await api.aiSettings.key({ organizationId });
    expect(before.organizationKey).toBeNull();
    const saved = await api.aiSettings.setKey({ organizationId, apiKey: ownKey });
    expect(saved.organizationKey?.hint).toBe("••••7788");
    expect(JSON.stringify(saved)).not.toContain(ownKey);

    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    // The provider echoes the key in its error: the stored message must not carry it.
    server.script({
      kind: "error",
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${ownKey}` } },
    });
    const { logger, lines } = capturingLogger();
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey, log: logger }));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${ownKey}`);
    const failed = await api.aiTask.get({ organizationId, taskId: queued.id });
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "authentication_failed" });
    expect(JSON.stringify(failed)).not.toContain(ownKey);
    expect(lines.join("\n")).not.toContain(ownKey);

    const stored = await db.system.vaultSecret.findFirstOrThrow({ where: { organizationId } });
    expect(Buffer.from(stored.ciphertext).toString("utf8")).not.toContain(ownKey);

    await api.aiSettings.deleteKey({ organizationId });
    const second = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "b", words: 1 },
    });
    server.script({ kind: "stream", tokens: ["fine"] });
    await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey }));
    expect(server.requests[1]?.headers.authorization).toBe(`Bearer ${platformKey}`);
    expect(await api.aiTask.get({ organizationId, taskId: second.id })).toMatchObject({
      status: "SUCCEEDED",
      keySource: "platform",
    });
  });

  it("only admins set or remove the key", async () => {
    const { organizationId } = await tenant();
    const member = await createUser(db, `member${counter}@ai.test`);
    await db.system.membership.create({
      data: { organizationId, userId: member.id, role: "MEMBER" },
    });
    const refused = await refusal(
      callerFor(db, member).aiSettings.setKey({ organizationId, apiKey: "sk-member-key-0000" }),
    );
    expect(refused.code).toBe("FORBIDDEN");
  });
});

describe("bring your own provider base URL", () => {
  /** The organization's own OpenAI-compatible server, apart from the platform's (`server`). */
  let own: OpenAITestServer;
  beforeAll(async () => {
    own = await startOpenAITestServer();
  });
  afterAll(async () => {
    await own.close();
  });
  beforeEach(() => {
    own.requests.length = 0;
  });

  /** Saves with AI_ALLOW_PRIVATE_NETWORKS=true (the servers here are on loopback). */
  async function withPrivateNetworks<T>(run: () => Promise<T>): Promise<T> {
    process.env.AI_ALLOW_PRIVATE_NETWORKS = "true";
    try {
      return await run();
    } finally {
      delete process.env.AI_ALLOW_PRIVATE_NETWORKS;
    }
  }

  it("tasks go to the organization's URL with its own key; the platform's server sees nothing", async () => {
    const { api, organizationId } = await tenant();
    const ownKey = "sk-org-byo-url-key-5566";
    const platformKey = "sk-platform-secret-key-9900";
    await api.aiSettings.setKey({ organizationId, apiKey: ownKey });
    const saved = await withPrivateNetworks(() =>
      api.aiSettings.setBaseUrl({ organizationId, baseUrl: `${own.baseURL}/` }),
    );
    expect(saved.organizationBaseUrl?.url).toBe(own.baseURL);
    expect(JSON.stringify(saved)).not.toContain(ownKey);
    expect((await api.aiSettings.key({ organizationId })).organizationBaseUrl?.url).toBe(
      own.baseURL,
    );
    const audit = await db.system.auditLog.findFirstOrThrow({
      where: { organizationId, action: "ai.base_url.set" },
    });
    expect(audit.changes).toEqual({ baseUrl: { from: null, to: own.baseURL } });

    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    own.script({ kind: "stream", tokens: ["from ", "own"] });
    const deps = { baseURL: server.baseURL, platformKey, allowPrivateNetworks: true };
    await drainJobs(db, workerDeps(db, deps));
    expect(own.requests).toHaveLength(1);
    expect(own.requests[0]?.headers.authorization).toBe(`Bearer ${ownKey}`);
    expect(server.requests).toHaveLength(0);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "SUCCEEDED",
      keySource: "organization",
      result: { text: "from own" },
    });

    // Removed: back to the platform's endpoint (with the organization's key still).
    const removed = await api.aiSettings.setBaseUrl({ organizationId, baseUrl: null });
    expect(removed.organizationBaseUrl).toBeNull();
    const second = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "b", words: 1 },
    });
    server.script({ kind: "stream", tokens: ["platform"] });
    await drainJobs(db, workerDeps(db, deps));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${ownKey}`);
    expect(own.requests).toHaveLength(1);
    expect(await api.aiTask.get({ organizationId, taskId: second.id })).toMatchObject({
      status: "SUCCEEDED",
    });
  });

  it("without the organization's own key, its URL never gets the platform's key", async () => {
    const { api, organizationId } = await tenant();
    await withPrivateNetworks(() =>
      api.aiSettings.setBaseUrl({ organizationId, baseUrl: own.baseURL }),
    );
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    await drainJobs(
      db,
      workerDeps(db, {
        baseURL: server.baseURL,
        platformKey: "sk-platform-1",
        allowPrivateNetworks: true,
      }),
    );
    expect(own.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
    expect(await api.aiTask.get({ organizationId, taskId: queued.id })).toMatchObject({
      status: "FAILED",
      errorCode: "provider_not_configured",
    });
  });

  it("refuses a URL that is not http(s), carries credentials or a query, or is private", async () => {
    const { api, organizationId } = await tenant();
    const port = new URL(own.baseURL).port;
    for (const baseUrl of [
      "ftp://files.example.com/v1",
      "not a url",
      `http://user:secret@127.0.0.1:${port}/v1`,
      `http://127.0.0.1:${port}/v1?api-key=x`,
    ]) {
      const refused = await refusal(
        withPrivateNetworks(() => api.aiSettings.setBaseUrl({ organizationId, baseUrl })),
      );
      expect(refused.code, baseUrl).toBe("BAD_REQUEST");
      expect(refused.appError, baseUrl).toMatchObject({ code: "INVALID_INPUT", field: "baseUrl" });
    }
    // Private networks not allowed (production's default): loopback, link-local, by name too.
    for (const baseUrl of [
      own.baseURL,
      "http://169.254.169.254/latest",
      "http://[::1]:8080/v1",
      `http://localhost:${port}/v1`,
    ]) {
      const refused = await refusal(api.aiSettings.setBaseUrl({ organizationId, baseUrl }));
      expect(refused.appError, baseUrl).toMatchObject({ code: "INVALID_INPUT", field: "baseUrl" });
    }
    expect((await api.aiSettings.key({ organizationId })).organizationBaseUrl).toBeNull();
  });

  it("a saved URL that is (now) private is refused again where the worker connects", async () => {
    const { api, organizationId } = await tenant();
    await api.aiSettings.setKey({ organizationId, apiKey: "sk-org-guarded-key-1212" });
    // As if it resolved to a public address when saved and to loopback now (DNS rebinding).
    const port = new URL(own.baseURL).port;
    for (const baseUrl of [own.baseURL, `http://localhost:${port}/v1`]) {
      await db.system.aiProviderSettings.upsert({
        where: { organizationId },
        create: { organizationId, baseUrl },
        update: { baseUrl },
      });
      const template = await api.aiTemplate.create({
        organizationId,
        ...summarise,
        name: `Guarded ${baseUrl}`,
      });
      const queued = await api.aiTask.run({
        organizationId,
        templateId: template.id,
        input: { text: "a", words: 1 },
      });
      own.script({ kind: "stream", tokens: ["must not arrive"] });
      await drainJobs(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-p-1" }));
      expect(own.requests, baseUrl).toHaveLength(0);
      const failed = await api.aiTask.get({ organizationId, taskId: queued.id });
      expect(failed, baseUrl).toMatchObject({
        status: "FAILED",
        errorCode: "destination_refused",
        attempts: 1,
      });
      expect(failed.errorMessage, baseUrl).toMatch(/private, loopback or link-local/);
    }
  });

  it("only admins set the base URL", async () => {
    const { organizationId } = await tenant();
    const member = await createUser(db, `member-url${counter}@ai.test`);
    await db.system.membership.create({
      data: { organizationId, userId: member.id, role: "MEMBER" },
    });
    const refused = await refusal(
      callerFor(db, member).aiSettings.setBaseUrl({
        organizationId,
        baseUrl: "https://1.1.1.1/v1",
      }),
    );
    expect(refused.code).toBe("FORBIDDEN");
  });
});

describe("live tokens", () => {
  it("the stream yields the chunks in order, resumes after an event id, and ends with the status", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    const queued = await api.aiTask.run({
      organizationId,
      templateId: template.id,
      input: { text: "a", words: 1 },
    });
    server.script({ kind: "stream", tokens: ["a", "b", "c", "d"], tokenDelayMs: 20 });
    type Event = { id: string; data: { kind: string; text: string; status: string } };
    // A server-side caller sees tRPC's tracked() envelope: [id, data, symbol].
    const unwrap = (event: unknown): Event => {
      const [id, data] = event as [string, Event["data"]];
      return { id, data };
    };
    const events: Event[] = [];
    const stream = await api.aiTask.stream({ organizationId, taskId: queued.id });
    const reading = (async () => {
      for await (const event of stream) events.push(unwrap(event));
    })();
    await runNextJob(db, workerDeps(db, { baseURL: server.baseURL, platformKey: "sk-platform-1" }));
    await reading;
    const text = events
      .filter((e) => e.data.kind === "chunk")
      .map((e) => e.data.text)
      .join("");
    expect(text).toBe("abcd");
    expect(events.at(-1)?.data).toMatchObject({ kind: "status", status: "SUCCEEDED" });

    const firstId = events[0]?.id ?? "0";
    const resumed: string[] = [];
    for await (const event of await api.aiTask.stream({
      organizationId,
      taskId: queued.id,
      lastEventId: firstId,
    })) {
      const { data } = unwrap(event);
      if (data.kind === "chunk") resumed.push(data.text);
    }
    expect(resumed.join("")).toBe(text.slice(events[0]?.data.text.length ?? 0));
  });
});

describe("batches", () => {
  it("one task per CSV row, progress, and results downloadable as CSV and JSON", async () => {
    const { api, organizationId } = await tenant("pro");
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
      model: "offline-demo",
    });
    const csv = 'text,words\n"first, with a comma",3\nsecond,4\nthird,5\n';
    const batch = await api.aiBatch.create({
      organizationId,
      templateId: template.id,
      format: "csv",
      content: csv,
    });
    expect(batch).toMatchObject({ total: 3, done: 0, finished: false });
    expect(batch.counts.QUEUED).toBe(3);
    const used = await db.system.usageCounter.findFirst({
      where: { organizationId, meter: "ai.tasks" },
    });
    expect(Number(used?.quantity)).toBe(3);

    await drainJobs(db, workerDeps(db));
    const done = await api.aiBatch.get({ organizationId, batchId: batch.id });
    expect(done).toMatchObject({ done: 3, finished: true, counts: { SUCCEEDED: 3 } });

    const json = await api.aiBatch.export({ organizationId, batchId: batch.id, format: "json" });
    const rows = z
      .array(
        z.object({
          text: z.string(),
          status: z.string(),
          provider: z.string(),
          result: z.unknown(),
        }),
      )
      .parse(JSON.parse(json.content));
    expect(rows.map((row) => row.text)).toEqual(["first, with a comma", "second", "third"]);
    expect(rows.every((row) => row.status === "SUCCEEDED")).toBe(true);
    expect(rows[0]?.provider).toContain("offline");

    const exported = await api.aiBatch.export({ organizationId, batchId: batch.id, format: "csv" });
    expect(exported.contentType).toBe("text/csv");
    expect(exported.content.split("\n")[0]).toContain("taskId,status,text,words,result");
    expect(exported.content).toContain('"first, with a comma"');
  });

  it("refuses a file whose rows do not fit the template, creating nothing", async () => {
    const { api, organizationId } = await tenant("pro");
    const template = await api.aiTemplate.create({
      organizationId,
      ...summarise,
      provider: "offline",
    });
    const refused = await refusal(
      api.aiBatch.create({
        organizationId,
        templateId: template.id,
        format: "json",
        content: JSON.stringify([{ text: "ok", words: 1 }, { text: "missing words" }]),
      }),
    );
    expect(refused.appError).toMatchObject({ code: "INVALID_INPUT", field: "content" });
    expect(await api.aiBatch.list({ organizationId })).toEqual([]);
    expect(await api.aiTask.list({ organizationId })).toEqual([]);
  });
});

describe("preferences", () => {
  it("default template, provider and model per organization, validated", async () => {
    const { api, organizationId } = await tenant();
    const template = await api.aiTemplate.create({ organizationId, ...summarise });
    expect(await api.aiSettings.preferences({ organizationId })).toEqual({
      defaultTemplateId: null,
      defaultProvider: null,
      defaultModel: null,
    });
    const saved = await api.aiSettings.setPreferences({
      organizationId,
      defaultTemplateId: template.id,
      defaultProvider: "openai",
      defaultModel: "gpt-4o-mini",
    });
    expect(saved).toEqual({
      defaultTemplateId: template.id,
      defaultProvider: "openai",
      defaultModel: "gpt-4o-mini",
    });
    const other = await tenant();
    const otherTemplate = await other.api.aiTemplate.create({
      organizationId: other.organizationId,
      ...summarise,
    });
    const refused = await refusal(
      api.aiSettings.setPreferences({ organizationId, defaultTemplateId: otherTemplate.id }),
    );
    expect(refused.code).toBe("NOT_FOUND");
  });
});
