// An extension's request and response (@plinth/platform/http's plain objects) on each of the
// gateway's two paths. The node:http fast path needs no conversion in: IncomingMessage's
// headers are the request's headers as they are; out, a streamed body is piped to the socket
// as it arrives. The Hono app converts at its edge: Fetch Request in, Fetch Response out.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { GatewayProblem, type GatewayRequest, type GatewayResponse } from "@plinth/platform/http";
import type { StreamOutcome } from "./pipeline.ts";

/**
 * A streamed answer up to this many bytes reaches the Hono app as bytes: @hono/node-server
 * writes a bytes body at once, a stream chunk by chunk through a web stream.
 */
const HONO_READ_BYTES = 65_536;

/**
 * Writes a streamed body after the head; a body cut mid-way cuts the client's answer too.
 * `done` is called once, when the outcome is known (the request is metered then).
 */
export function pipeToClient(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Readable,
  done: (outcome: StreamOutcome) => void,
) {
  let outcome: StreamOutcome | null = null;
  const settle = (value: StreamOutcome) => {
    if (outcome !== null) return;
    outcome = value;
    done(value);
  };
  res.writeHead(status, headers);
  // The status is sent: an upstream failing now can only end the connection (never a
  // truncated answer the client would take as whole).
  body.once("error", () => {
    settle("upstream-failed");
    res.destroy();
  });
  res.once("finish", () => settle("sent"));
  // The client went away (or the answer ended): an unfinished upstream body is dropped.
  res.once("close", () => {
    if (!body.readableEnded) body.destroy();
    settle("client-gone");
  });
  body.pipe(res);
}

/** A Fetch Request (the Hono app's) as an extension's request. */
export function requestFromFetch(request: Request, path: string): GatewayRequest {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const search = request.url.indexOf("?");
  return {
    method: request.method,
    path,
    query: search >= 0 ? request.url.slice(search + 1) : "",
    headers,
    // Read only if the extension asks: @hono/node-server makes the real Request (and a web
    // stream over the socket) on first use of `body`, a cost a GET should not pay.
    // Node's ReadableStream is async-iterable (DOM's typings do not say so).
    get body() {
      return request.body as AsyncIterable<Uint8Array> | null;
    },
  };
}

/**
 * An extension's response as a Fetch Response (the Hono app's `c.res`), and — for a body
 * streamed on (longer than HONO_READ_BYTES) — how that stream ended, to meter the request
 * then, as the fast path does.
 */
export async function responseToFetch(
  response: GatewayResponse,
): Promise<{ res: Response; ended: Promise<StreamOutcome> | null }> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const { body } = response;
  const init = { status: response.status, headers };
  if (body === null || body instanceof Uint8Array) {
    return { res: new Response(body, init), ended: null };
  }
  if (Number(headers.get("content-length") ?? Infinity) <= HONO_READ_BYTES) {
    return { res: new Response(await readAll(body), init), ended: null };
  }
  let settle: (outcome: StreamOutcome) => void = () => {};
  const ended = new Promise<StreamOutcome>((resolve) => (settle = resolve));
  return {
    res: new Response(
      webStreamOf(body, (outcome) => settle(outcome)),
      init,
    ),
    ended,
  };
}

/** A short stream's bytes; a stream cut before its end is the upstream's failure (502). */
async function readAll(body: Readable): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch {
    throw new GatewayProblem(
      502,
      "UPSTREAM_FAILED",
      "Bad gateway",
      "The upstream's answer was cut off",
    );
  }
  return Buffer.concat(chunks);
}

/** A Node stream as a web ReadableStream (errors and cancellation passed along, and told). */
function webStreamOf(
  body: Readable,
  ended: (outcome: StreamOutcome) => void,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array<ArrayBuffer>>;
  // A backstop, should the web stream be neither read to its end nor cancelled: the upstream
  // body always closes (its own end, an error, undici's body timeout). The first report wins.
  body.once("close", () =>
    ended(body.readableEnded ? "sent" : body.errored ? "upstream-failed" : "client-gone"),
  );
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      let next: IteratorResult<Uint8Array<ArrayBuffer>>;
      try {
        next = await chunks.next();
      } catch (error) {
        ended("upstream-failed");
        throw error;
      }
      if (next.done) {
        controller.close();
        ended("sent");
      } else controller.enqueue(next.value);
    },
    async cancel() {
      ended("client-gone");
      await chunks.return?.();
    },
  });
}
