// A local server (node:http on loopback) shaped like the speech vendors' APIs the adapters call
// (as packages/speech's own tests do): OpenAI's POST /v1/audio/transcriptions (verbose_json
// with words), Deepgram's POST /v1/listen, ElevenLabs' POST /v1/text-to-speech/{voice} (raw
// 16 kHz PCM). It records each request's path and key header, and can answer the next request
// with a 500 whose body echoes the key it was sent (as a careless proxy would).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SpeechRequest {
  path: string;
  /** The key as the vendor receives it (Authorization bearer/token, or xi-api-key). */
  key: string | null;
}

export interface SpeechServer {
  origin: string;
  requests: SpeechRequest[];
  /** The next request answers 500 with its own key in the body. */
  failNextEchoingKey(): void;
  /** Every request answers 500 (a vendor outage) until set back. */
  setFailing(failing: boolean): void;
  close(): Promise<void>;
}

const WORDS = [
  { word: "what's", punctuated_word: "What's", start: 0.1, end: 0.42, confidence: 0.98 },
  { word: "your", punctuated_word: "your", start: 0.45, end: 0.6, confidence: 0.95 },
  { word: "budget", punctuated_word: "budget?", start: 0.62, end: 1.1, confidence: 0.91 },
];

/** `ms` of a 440 Hz tone, 16 kHz mono s16le (speech to the energy detector). */
export function tonePcm(ms: number): Buffer {
  const samples = (16_000 * ms) / 1000;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)), i * 2);
  }
  return pcm;
}

function keyOf(req: IncomingMessage): string | null {
  const xi = req.headers["xi-api-key"];
  if (typeof xi === "string") return xi;
  const auth = req.headers.authorization;
  return auth ? auth.replace(/^(Bearer|Token) /, "") : null;
}

export async function startSpeechServer(): Promise<SpeechServer> {
  const requests: SpeechRequest[] = [];
  let failNext = false;
  let failing = false;
  const open = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    open.add(res);
    res.on("close", () => open.delete(res));
    for await (const _chunk of req) {
      // drain the upload
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const key = keyOf(req);
    requests.push({ path, key });
    if (failNext || failing) {
      failNext = false;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `upstream rejected key ${key}` } }));
      return;
    }
    if (req.method === "POST" && path === "/v1/audio/transcriptions") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          task: "transcribe",
          language: "english",
          duration: 1.2,
          text: " What's your budget?",
          words: WORDS.map(({ word, start, end }) => ({ word, start, end })),
        }),
      );
    } else if (req.method === "POST" && path === "/v1/listen") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          metadata: { request_id: "test", duration: 1.2, channels: 1 },
          results: {
            channels: [
              {
                alternatives: [
                  { transcript: "what's your budget", confidence: 0.95, words: WORDS },
                ],
              },
            ],
          },
        }),
      );
    } else if (req.method === "POST" && path.startsWith("/v1/text-to-speech/")) {
      res.writeHead(200, { "content-type": "audio/pcm" });
      res.end(tonePcm(500));
    } else {
      res.writeHead(404).end();
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failNextEchoingKey: () => {
      failNext = true;
    },
    setFailing: (value) => {
      failing = value;
    },
    close: async () => {
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
