// A local OpenAI-compatible server (node:http on loopback) for the adapter tests and the SDK
// retry check: POST /v1/chat/completions answering with SSE streams (chunks shaped like the
// Chat Completions API's, usage in the last chunk when stream_options.include_usage is set),
// errors with status and headers, or silence. Each request takes the next scripted behaviour;
// every request is recorded (headers, body, arrival time, whether the client hung up early).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | {
      kind: "stream";
      tokens: string[];
      /** Pause before each token. */
      tokenDelayMs?: number;
      finishReason?: string;
      usage?: { prompt_tokens: number; completion_tokens: number } | "omit";
      /** Stop after this many tokens and keep the connection open without a word. */
      stallAfter?: number;
    }
  | { kind: "error"; status: number; body?: unknown; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | { kind: "hang" };

export interface RecordedRequest {
  at: number;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** Resolves when the connection closed; true if the client closed it before the answer ended. */
  closed: Promise<boolean>;
}

export interface OpenAITestServer {
  baseURL: string;
  requests: RecordedRequest[];
  /** The behaviours of the next requests, in order (then: 404). */
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

const sse = (res: ServerResponse, data: unknown) =>
  res.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  if (typeof parsed !== "object" || parsed === null) throw new Error("body is not an object");
  return parsed as Record<string, unknown>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAITestServer(): Promise<OpenAITestServer> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  let sequence = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const at = performance.now();
    let ended = false;
    const closed = new Promise<boolean>((resolve) =>
      res.on("close", () => resolve(!ended && !res.writableFinished)),
    );
    open.add(res);
    res.on("close", () => open.delete(res));
    if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    requests.push({ at, headers: req.headers, body, closed });
    const behaviour = queue.shift();
    if (!behaviour) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "no scripted behaviour left", type: "test" } }));
      return;
    }
    if (behaviour.kind === "hang") return;
    if (behaviour.kind === "error") {
      res.writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers });
      res.end(JSON.stringify(behaviour.body ?? { error: { message: "scripted failure" } }));
      return;
    }
    const id = `chatcmpl-test${++sequence}`;
    const model = typeof body.model === "string" ? `${body.model}-2026-01-01` : "unknown";
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id,
      object: "chat.completion.chunk",
      created: Math.floor(Date.now() / 1000),
      model,
      choices,
      ...extra,
    });
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    sse(res, chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
    for (const [index, token] of behaviour.tokens.entries()) {
      if (behaviour.stallAfter !== undefined && index >= behaviour.stallAfter) return;
      if (behaviour.tokenDelayMs) await wait(behaviour.tokenDelayMs);
      if (res.destroyed) return;
      sse(res, chunk([{ index: 0, delta: { content: token }, finish_reason: null }]));
    }
    if (behaviour.stallAfter !== undefined) return;
    sse(res, chunk([{ index: 0, delta: {}, finish_reason: behaviour.finishReason ?? "stop" }]));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage && behaviour.usage !== "omit") {
      const usage = behaviour.usage ?? {
        prompt_tokens: 11,
        completion_tokens: behaviour.tokens.length,
      };
      sse(
        res,
        chunk([], {
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        }),
      );
    }
    sse(res, "[DONE]");
    ended = true;
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...behaviours) => {
      queue.length = 0;
      queue.push(...behaviours);
    },
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
