// An organization's own base URL: what is accepted when it is saved (https outside development,
// no credentials or query, a public address unless private networks are allowed), and the
// adapter on destinationFetch against the local OpenAI-compatible server — refused before any
// byte is sent while the guard is on (by IP literal and by name), streaming through undici
// when private networks are allowed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ProviderError,
  checkProviderBaseUrl,
  createOpenAICompatibleProvider,
  destinationFetch,
} from "../src/index.ts";
import { startOpenAITestServer, type OpenAITestServer } from "./openai-test-server.ts";

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const production = { allowHttp: false, allowPrivateNetworks: false };
const development = { allowHttp: true, allowPrivateNetworks: true };

describe("checkProviderBaseUrl", () => {
  it("accepts a public https URL, normalised without its trailing slash", async () => {
    expect(await checkProviderBaseUrl(" https://1.1.1.1/openai/v1/ ", production)).toEqual({
      ok: true,
      url: "https://1.1.1.1/openai/v1",
    });
    expect(await checkProviderBaseUrl("http://127.0.0.1:11434/v1", development)).toEqual({
      ok: true,
      url: "http://127.0.0.1:11434/v1",
    });
  });

  it("refuses plain http outside development, other schemes, credentials, queries", async () => {
    const cases: [string, typeof production, RegExp][] = [
      ["http://1.1.1.1/v1", production, /https/],
      ["ftp://1.1.1.1/v1", development, /http or https/],
      ["file:///etc/passwd", development, /http or https/],
      ["https://sk-abc:x@1.1.1.1/v1", production, /key field/],
      ["https://1.1.1.1/v1?api-version=1", production, /query/],
      ["https://1.1.1.1/v1#x", production, /fragment/],
      ["1.1.1.1/v1", production, /Not a URL/],
    ];
    for (const [url, policy, reason] of cases) {
      const checked = await checkProviderBaseUrl(url, policy);
      expect(checked.ok, url).toBe(false);
      if (!checked.ok) expect(checked.reason, url).toMatch(reason);
    }
  });

  it("refuses private, loopback and link-local destinations unless they are allowed", async () => {
    const https = { allowHttp: true, allowPrivateNetworks: false };
    for (const url of [
      "https://127.0.0.1/v1",
      "https://10.1.2.3/v1",
      "https://192.168.0.10/v1",
      "http://169.254.169.254/latest/meta-data",
      "https://[::1]/v1",
      "https://[::ffff:127.0.0.1]/v1",
      "https://localhost:11434/v1",
      "https://name.invalid/v1",
    ]) {
      const checked = await checkProviderBaseUrl(url, https);
      expect(checked.ok, url).toBe(false);
    }
    const allowed = await checkProviderBaseUrl("http://localhost:11434/v1", development);
    expect(allowed).toEqual({ ok: true, url: "http://localhost:11434/v1" });
  });
});

describe("the adapter on destinationFetch", () => {
  const request = { model: "gpt-test", messages: [{ role: "user" as const, content: "Hi" }] };
  const provider = (baseURL: string, allowPrivateNetworks: boolean) =>
    createOpenAICompatibleProvider({
      apiKey: "sk-own-0123456789",
      baseURL,
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
      fetch: destinationFetch({ allowPrivateNetworks }),
    });

  it("with the guard on, a loopback URL is refused before any request, and not retried", async () => {
    const port = new URL(server.baseURL).port;
    for (const baseURL of [server.baseURL, `http://localhost:${port}/v1`]) {
      server.script({ kind: "stream", tokens: ["no"] });
      const error = await provider(baseURL, false)
        .stream(request)
        .result()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error, baseURL).toBeInstanceOf(ProviderError);
      expect(error, baseURL).toMatchObject({
        code: "destination_refused",
        retryable: false,
        attempts: 1,
      });
      expect(server.requests, baseURL).toHaveLength(0);
      server.script();
    }
  });

  it("with private networks allowed, streams through undici like the SDK's own fetch", async () => {
    server.script({ kind: "stream", tokens: ["Hello", ", ", "own"] });
    const result = await provider(server.baseURL, true).stream(request).result();
    expect(result).toMatchObject({ text: "Hello, own", attempts: 1 });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-own-0123456789");
  });
});
