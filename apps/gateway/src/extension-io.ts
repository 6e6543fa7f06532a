// An extension's request and response (@plinth/platform/http's plain objects) on each of the
// gateway's two paths. The node:http fast path needs no conversion in: IncomingMessage's
// headers are the request's headers as they are; out, a streamed body is piped to the socket
// as it arrives. The Hono app converts at its edge: Fetch Request in, Fetch Response out.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import type { GatewayRequest, GatewayResponse } from "@plinth/platform/http";

/** Writes a streamed body after the head; a body cut mid-way cuts the client's answer too. */
export function pipeToClient(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: Readable,
) {
  res.writeHead(status, headers);
  // The status is sent: an upstream failing now can only end the connection (never a
  // truncated answer the client would take as whole).
  body.once("error", () => res.destroy());
  // The client went away (or the answer ended): an unfinished upstream body is dropped.
  res.once("close", () => {
    if (!body.readableEnded) body.destroy();
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
    // Node's ReadableStream is async-iterable (DOM's typings do not say so).
    body: request.body as AsyncIterable<Uint8Array> | null,
  };
}

/** An extension's response as a Fetch Response (the Hono app's `c.res`). */
export function responseToFetch(response: GatewayResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const { body } = response;
  const payload = body === null || body instanceof Uint8Array ? body : webStreamOf(body);
  return new Response(payload, { status: response.status, headers });
}

/** A Node stream as a web ReadableStream (errors and cancellation passed along). */
function webStreamOf(body: Readable): ReadableStream<Uint8Array<ArrayBuffer>> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array<ArrayBuffer>>;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}
