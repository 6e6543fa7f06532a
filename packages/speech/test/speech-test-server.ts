// A local server (node:http on loopback) speaking the three speech APIs the adapters call:
//   POST /v1/audio/transcriptions        OpenAI (multipart; verbose_json with words)
//   POST /v1/listen                      Deepgram pre-recorded (WAV body; words + confidence)
//   POST /v1/text-to-speech/{voice_id}   ElevenLabs (JSON in; raw 16 kHz PCM out)
// Each request takes the next scripted behaviour ("ok" answers like the real API); every
// request is recorded (path, query, headers, raw body).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | { kind: "ok" }
  | { kind: "error"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "hang" };

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface SpeechTestServer {
  origin: string;
  requests: RecordedRequest[];
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

/** Words every "ok" transcription answers (seconds, as the APIs send them). */
export const SCRIPTED_WORDS = [
  { word: "what's", punctuated_word: "What's", start: 0.1, end: 0.42, confidence: 0.98 },
  { word: "your", punctuated_word: "your", start: 0.45, end: 0.6, confidence: 0.95 },
  { word: "budget", punctuated_word: "budget?", start: 0.62, end: 1.1, confidence: 0.91 },
];

/** What ElevenLabs answers: 0.5 s of a 440 Hz tone, 16 kHz mono s16le. */
export function tonePcm(ms: number): Buffer {
  const samples = (16_000 * ms) / 1000;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
  }
  return pcm;
}

export async function startSpeechTestServer(): Promise<SpeechTestServer> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse) {
    open.add(res);
    res.on("close", () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks),
    });
    const behaviour = queue.shift() ?? { kind: "error", status: 404 };
    if (behaviour.kind === "hang") return;
    if (behaviour.kind === "error") {
      res.writeHead(behaviour.status, { "content-type": "application/json", ...behaviour.headers });
      res.end(JSON.stringify(behaviour.body ?? { error: { message: "scripted failure" } }));
      return;
    }
    if (req.method === "POST" && url.pathname === "/v1/audio/transcriptions") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          task: "transcribe",
          language: "english",
          duration: 1.2,
          text: " What's your budget?",
          words: SCRIPTED_WORDS.map(({ word, start, end }) => ({ word, start, end })),
          usage: { type: "duration", seconds: 2 },
        }),
      );
    } else if (req.method === "POST" && url.pathname === "/v1/listen") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          metadata: { request_id: "test", duration: 1.2, channels: 1 },
          results: {
            channels: [
              {
                alternatives: [
                  { transcript: "what's your budget", confidence: 0.95, words: SCRIPTED_WORDS },
                ],
              },
            ],
          },
        }),
      );
    } else if (req.method === "POST" && url.pathname.startsWith("/v1/text-to-speech/")) {
      res.writeHead(200, { "content-type": "audio/pcm" });
      res.end(tonePcm(500));
    } else {
      res.writeHead(404).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
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
