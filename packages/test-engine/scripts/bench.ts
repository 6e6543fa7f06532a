// HTTP steps per second through the engine, against the local target on loopback, with a
// baseline in the same process and run: raw undici requests (same Agent settings, same
// concurrency, body read and JSON-parsed) without the engine. Rounds alternate raw/engine so
// background load hits both alike; the medians are printed.
//   pnpm --filter @plinth/test-engine bench    (BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_STEPS)
import { performance } from "node:perf_hooks";
import { Agent, request } from "undici";
import { createHttpRunner, runSuite, type SuiteDefinitionInput } from "../src/index.ts";
import { startTargetServer } from "../test/target-server.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const stepsPerRound = Number(process.env.BENCH_STEPS ?? 4_000);
const STEPS_PER_TEST = 10;

const target = await startTargetServer();
const agentOptions = { connections: 64, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 };

async function rawRound(agent: Agent): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next++ < stepsPerRound) {
      const response = await request(`${target.url}/bench`, { dispatcher: agent });
      const body = JSON.parse(await response.body.text()) as { ok?: boolean };
      if (response.statusCode !== 200 || body.ok !== true) throw new Error("unexpected answer");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return stepsPerRound / ((performance.now() - started) / 1000);
}

const suite: SuiteDefinitionInput = {
  name: "bench",
  tests: Array.from({ length: stepsPerRound / STEPS_PER_TEST }, (_, i) => ({
    id: `t${i}`,
    name: `bench ${i}`,
    kind: "http" as const,
    steps: Array.from({ length: STEPS_PER_TEST }, () => ({
      method: "GET" as const,
      url: "/bench?i={{i}}",
      headers: { authorization: "Bearer {{token}}" },
      assertions: [
        { type: "status" as const, equals: 200 },
        {
          type: "jsonPath" as const,
          path: "$.ok",
          expect: { operator: "equals" as const, value: true },
        },
        { type: "responseTime" as const, lessThanMs: 10_000 },
      ],
    })),
  })),
};

async function engineRound(http: ReturnType<typeof createHttpRunner>): Promise<number> {
  const started = performance.now();
  const run = await runSuite(suite, {
    environment: {
      baseUrl: target.url,
      variables: { i: "1" },
      secrets: { token: "bench-secret-token" },
    },
    http,
    concurrency,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.summary.passed !== run.summary.total)
    throw new Error(`bench run did not pass: ${JSON.stringify(run.summary)}`);
  return stepsPerRound / seconds;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const agent = new Agent(agentOptions);
const http = createHttpRunner({ dispatcher: new Agent(agentOptions) });
await rawRound(agent); // warm-up: connections, JIT
await engineRound(http);
const raw: number[] = [];
const engine: number[] = [];
for (let round = 0; round < rounds; round++) {
  raw.push(await rawRound(agent));
  engine.push(await engineRound(http));
  console.log(
    `round ${round + 1}: raw ${raw.at(-1)?.toFixed(0)} req/s, engine ${engine.at(-1)?.toFixed(0)} steps/s`,
  );
}
console.log(
  `\n${stepsPerRound} steps per round, concurrency ${concurrency}, ${rounds} rounds (node ${process.version})\n` +
    `raw undici   median ${median(raw).toFixed(0)} requests/s\n` +
    `test engine  median ${median(engine).toFixed(0)} steps/s (${((median(engine) / median(raw)) * 100).toFixed(0)}% of raw; target ≥ 500)`,
);
await agent.close();
await http.close();
await target.close();
