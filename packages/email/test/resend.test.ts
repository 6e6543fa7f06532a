// The Resend transport against a local server shaped like Resend's `POST /emails`: the request
// (auth, idempotency key, body), the failure classification, and the key never leaking.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { installJobSchema } from "@plinth/jobs";
import {
  deliverEmail,
  parseEmailEnv,
  PermanentEmailError,
  resendTransport,
  sendEmail,
  transportFromEnv,
} from "../src/index.ts";

const API_KEY = "re_test_5ecret_never_logged_9f8e7d";

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}
let received: Received[] = [];
/** The answers the server gives, in order; then 200 with an id. */
let answers: { status: number; body: unknown }[] = [];

let server: Server;
let baseUrl: string;
let db: TestDatabase;
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: JSON.parse(raw),
      });
      const answer = answers.shift() ?? { status: 200, body: { id: "re-email-1" } };
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await createTestDatabase();
  await installJobSchema(db.url);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.drop();
});
beforeEach(() => {
  received = [];
  answers = [];
});

const queue = () =>
  sendEmail(db.system, {
    to: "owner@example.com",
    subject: "Your trial ends soon",
    html: "<p>Hi</p>",
    text: "Hi",
    template: "test",
  });
const transport = () => resendTransport({ apiKey: API_KEY, baseUrl });
const row = (id: string) => db.system.email.findUniqueOrThrow({ where: { id } });

describe("resendTransport", () => {
  it("POSTs /emails with the key as a Bearer token and our email's id as the idempotency key", async () => {
    const { id } = await queue();
    expect(
      await deliverEmail(db.system, id, { transport: transport(), from: "Plinth <a@b.test>" }),
    ).toBe("sent");
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({
      method: "POST",
      url: "/emails",
      headers: {
        authorization: `Bearer ${API_KEY}`,
        "idempotency-key": id,
        "content-type": "application/json",
      },
      body: {
        from: "Plinth <a@b.test>",
        to: "owner@example.com",
        subject: "Your trial ends soon",
        html: "<p>Hi</p>",
        text: "Hi",
      },
    });
    expect(await row(id)).toMatchObject({ status: "SENT", transport: "resend", error: null });
  });

  it("retries a 5xx with the same idempotency key, so the retry cannot send twice", async () => {
    const { id } = await queue();
    answers = [
      { status: 500, body: { statusCode: 500, name: "internal_server_error", message: "boom" } },
    ];
    await expect(deliverEmail(db.system, id, { transport: transport() })).rejects.toThrow(
      "Resend 500 internal_server_error: boom",
    );
    expect(await row(id)).toMatchObject({ status: "QUEUED", transport: "resend" });
    expect(await deliverEmail(db.system, id, { transport: transport() })).toBe("sent");
    expect(received.map((r) => r.headers["idempotency-key"])).toEqual([id, id]);
  });

  it.each([
    [429, "rate_limit_exceeded"],
    [503, "application_error"],
    [401, "invalid_api_key"],
    [403, "invalid_access"],
    [409, "concurrent_idempotent_requests"],
  ])("a %i (%s) is transient: recorded, rethrown for the job to retry", async (status, name) => {
    const { id } = await queue();
    answers = [{ status, body: { statusCode: status, name, message: "try later" } }];
    const error: unknown = await deliverEmail(db.system, id, { transport: transport() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentEmailError);
    expect(await row(id)).toMatchObject({
      status: "QUEUED",
      error: `Resend ${status} ${name}: try later`,
    });
  });

  it.each([
    [422, "validation_error", "Invalid `to` field."],
    [400, "invalid_parameter", "bad"],
    [409, "invalid_idempotent_request", "same key, other payload"],
  ])("a %i (%s) is permanent: FAILED at once, not retried", async (status, name, message) => {
    const { id } = await queue();
    answers = [{ status, body: { statusCode: status, name, message } }];
    expect(await deliverEmail(db.system, id, { transport: transport() })).toBe("failed");
    expect(await row(id)).toMatchObject({
      status: "FAILED",
      transport: "resend",
      error: `Resend ${status} ${name}: ${message}`,
    });
    expect(received).toHaveLength(1);
  });

  it("a network error is transient", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { id } = await queue();
    const unreachable = resendTransport({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` });
    const error: unknown = await deliverEmail(db.system, id, { transport: unreachable }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentEmailError);
    expect(await row(id)).toMatchObject({ status: "QUEUED" });
    expect((await row(id)).error).toMatch(/^Resend request failed application_error/);
  });

  it("never puts the API key in an error, an Email row or the transport object", async () => {
    const { id } = await queue();
    answers = [
      {
        status: 401,
        body: { statusCode: 401, name: "invalid_api_key", message: "API key is invalid" },
      },
    ];
    const t = transport();
    const error: unknown = await deliverEmail(db.system, id, { transport: t }).catch(
      (e: unknown) => e,
    );
    const seen = [
      inspect(error, { depth: 10 }),
      error instanceof Error ? `${error.message} ${error.stack ?? ""}` : "",
      JSON.stringify(error),
      JSON.stringify(await db.system.email.findMany()),
      JSON.stringify(t),
      inspect(t, { depth: 10, showHidden: true }),
    ].join("\n");
    expect(seen).toContain("invalid_api_key");
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain("5ecret");
  });
});

describe("transport selection", () => {
  it("RESEND_API_KEY → Resend; else SMTP_URL → SMTP; else the dev mailbox", () => {
    expect(transportFromEnv(parseEmailEnv({ RESEND_API_KEY: API_KEY })).name).toBe("resend");
    expect(transportFromEnv(parseEmailEnv({ SMTP_URL: "smtp://localhost:2525" })).name).toBe(
      "smtp",
    );
    expect(transportFromEnv(parseEmailEnv({})).name).toBe("dev-mailbox");
    expect(transportFromEnv(parseEmailEnv({ RESEND_API_KEY: "", SMTP_URL: "" })).name).toBe(
      "dev-mailbox",
    );
  });

  it("refuses both providers at once, a base URL without a key, and a malformed key", () => {
    expect(() =>
      parseEmailEnv({ RESEND_API_KEY: API_KEY, SMTP_URL: "smtp://localhost:2525" }),
    ).toThrow(/SMTP_URL: set either RESEND_API_KEY or SMTP_URL, not both/);
    expect(() => parseEmailEnv({ RESEND_BASE_URL: baseUrl })).toThrow(
      /RESEND_API_KEY: RESEND_BASE_URL is set but RESEND_API_KEY is not/,
    );
    expect(() => parseEmailEnv({ RESEND_API_KEY: "sk_live_123" })).toThrow(/starts with re_/);
  });

  it("the env-selected Resend transport uses RESEND_BASE_URL", async () => {
    const { id } = await queue();
    const t = transportFromEnv(
      parseEmailEnv({ RESEND_API_KEY: API_KEY, RESEND_BASE_URL: baseUrl }),
    );
    expect(await deliverEmail(db.system, id, { transport: t })).toBe("sent");
    expect(received).toHaveLength(1);
  });
});
