// The benches' provider: a loopback OpenAI-compatible chat-completions server that answers after
// LATENCY_MS with BENCH_TOKENS streamed tokens (SSE) and a usage chunk. Run as a child process
// (scripts/ai-tasks-bench.ts forks it) so that its CPU is measured apart from the worker's; it
// sends its port to the parent over IPC and exits when the parent disconnects.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

const env = z
  .object({
    LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
    BENCH_TOKENS: z.string().default("Bench| tokens| stream| in| order."),
  })
  .parse(process.env);
const tokens = env.BENCH_TOKENS.split("|");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ id: "b", object: "chat.completion.chunk", created: 0, model: "gpt-4o-mini", choices, ...extra })}\n\n`;

const server = createServer((req, res) => {
  void (async () => {
    for await (const _chunk of req) void _chunk;
    await sleep(env.LATENCY_MS);
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const token of tokens)
      res.write(chunk([{ index: 0, delta: { content: token }, finish_reason: null }]));
    res.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
    res.write(
      chunk([], {
        usage: {
          prompt_tokens: 12,
          completion_tokens: tokens.length,
          total_tokens: 12 + tokens.length,
        },
      }),
    );
    res.end("data: [DONE]\n\n");
  })();
});
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on("disconnect", () => {
  server.closeAllConnections();
  server.close();
});
