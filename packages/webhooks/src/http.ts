// One HTTP POST of a signed delivery (undici): a total timeout, no redirects followed, at most
// RESPONSE_BODY_LIMIT characters of the response kept, the SSRF guard on the connection.
import { Agent, request } from "undici";
import { checkLiteralHost, destinationRefusal, guardedLookup } from "@plinth/core/ssrf";

export const RESPONSE_BODY_LIMIT = 2_048;
export const DEFAULT_TIMEOUT_MS = 10_000;

const guarded = new Agent({ connect: { lookup: guardedLookup }, keepAliveTimeout: 4_000 });
const open = new Agent({ keepAliveTimeout: 4_000 });

export type PostResult =
  | { kind: "response"; status: number; body: string; durationMs: number }
  | { kind: "error"; error: string; refused: boolean; durationMs: number };

async function readLimited(body: AsyncIterable<Buffer | string>, limit: number) {
  let text = "";
  for await (const chunk of body) {
    text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    if (text.length >= limit) break;
  }
  return text.slice(0, limit);
}

export async function postWebhook(input: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const url = new URL(input.url);
    if (!input.allowPrivateNetworks) checkLiteralHost(url.hostname);
    const response = await request(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Plinth-Webhooks/1",
        ...input.headers,
      },
      body: input.body,
      dispatcher: input.allowPrivateNetworks ? open : guarded,
      signal: AbortSignal.timeout(input.timeoutMs),
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
    });
    let body = "";
    try {
      body = await readLimited(response.body, RESPONSE_BODY_LIMIT);
    } catch {
      // A body that breaks off after the status line: the status is what counts.
    } finally {
      response.body.destroy();
    }
    return { kind: "response", status: response.statusCode, body, durationMs: elapsed() };
  } catch (error) {
    const refused = destinationRefusal(error);
    if (refused)
      return { kind: "error", error: refused.message, refused: true, durationMs: elapsed() };
    const timedOut =
      error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const message = timedOut
      ? `Timed out after ${input.timeoutMs} ms`
      : error instanceof Error
        ? `${error.name}: ${error.message}`.slice(0, 500)
        : "Request failed";
    return { kind: "error", error: message, refused: false, durationMs: elapsed() };
  }
}
