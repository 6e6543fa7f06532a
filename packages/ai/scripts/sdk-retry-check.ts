// Why @plinth/ai retries itself instead of using the SDK's maxRetries: the same scripted
// failures from the local test server, once through the bare `openai` SDK (maxRetries 2) and
// once through the adapter (which runs the SDK with maxRetries 0). Prints what each did.
//   pnpm --filter @plinth/ai check:sdk-retry
import { OpenAI } from "openai";
import { createOpenAICompatibleProvider } from "../src/index.ts";
import { startOpenAITestServer, type Behaviour } from "../test/openai-test-server.ts";

const server = await startOpenAITestServer();
const apiKey = "sk-check-0000000000000000";
const sdk = new OpenAI({ apiKey, baseURL: server.baseURL, maxRetries: 2, logLevel: "off" });
const adapter = createOpenAICompatibleProvider({ apiKey, baseURL: server.baseURL });
const messages = [{ role: "user" as const, content: "hi" }];

async function scenario(
  name: string,
  behaviours: () => Behaviour[],
  {
    abortAfterMs,
    vias = ["sdk", "adapter"],
  }: { abortAfterMs?: number; vias?: ("sdk" | "adapter")[] } = {},
) {
  for (const via of vias) {
    server.requests.length = 0;
    server.script(...behaviours());
    const controller = new AbortController();
    if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
    const started = performance.now();
    let outcome: string;
    try {
      if (via === "sdk") {
        const stream = await sdk.chat.completions.create(
          { model: "m", messages, stream: true },
          { signal: controller.signal },
        );
        for await (const _chunk of stream) void _chunk;
      } else {
        await adapter.stream({ model: "m", messages }, { signal: controller.signal }).result();
      }
      outcome = "succeeded";
    } catch (error) {
      outcome = `failed: ${error instanceof Error ? error.constructor.name : "?"}`;
    }
    const elapsed = performance.now() - started;
    const gaps = server.requests.slice(1).map((r, i) => Math.round(r.at - server.requests[i]!.at));
    console.log(
      `${name.padEnd(38)} ${via.padEnd(8)} requests=${server.requests.length} gaps=[${gaps.join(", ")}] ms` +
        ` total=${Math.round(elapsed)} ms ${outcome}`,
    );
  }
}

const ok: Behaviour = { kind: "stream", tokens: ["ok"] };
const rateLimited = (retryAfter: string): Behaviour => ({
  kind: "error",
  status: 429,
  headers: { "retry-after": retryAfter },
});
await scenario("429 Retry-After: 1", () => [rateLimited("1"), ok]);
// HTTP dates have whole seconds: the next whole second + 2 s is a wait of 2–3 s.
await scenario("429 Retry-After: <HTTP date, 2–3 s>", () => [
  rateLimited(new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString()),
  ok,
]);
await scenario("500, 500, then ok", () => [
  { kind: "error", status: 500 },
  { kind: "error", status: 500 },
  ok,
]);
await scenario("409 then ok", () => [{ kind: "error", status: 409 }, ok]);
await scenario("408 then ok", () => [{ kind: "error", status: 408 }, ok]);
await scenario("429 Retry-After: 5, cancelled at 100 ms", () => [rateLimited("5"), ok], {
  abortAfterMs: 100,
});
// The bare SDK sleeps the whole 90 s here (measured 90,006 ms, cancelled at 3 s); pass --slow to see it.
await scenario("429 Retry-After: 90, cancelled at 3 s", () => [rateLimited("90"), ok], {
  abortAfterMs: 3_000,
  vias: process.argv.includes("--slow") ? ["sdk", "adapter"] : ["adapter"],
});
await server.close();
