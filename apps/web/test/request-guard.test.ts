// The request guard on a real Node HTTP server (the e2e suite checks it again on `next start`):
// methods the app does not serve answer 405 with Allow, paths that do not decode answer 400,
// and everything else reaches the server's own handler untouched.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installRequestGuard, refusalFor } from "../src/server/request-guard.ts";

let server: Server;
let port: number;
let reached = 0;

beforeAll(async () => {
  installRequestGuard();
  server = createServer((_request, response) => {
    reached++;
    response.end("handled");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request (fetch refuses TRACE on the client side). */
function send(method: string, path: string) {
  return new Promise<{ status: number; allow: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, allow: response.headers.allow, body }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("request guard", () => {
  it("TRACE and methods the app does not serve answer 405 with Allow, on any path", async () => {
    for (const method of ["TRACE", "PROPFIND", "PUT", "DELETE", "PATCH", "MKCOL", "LOCK"]) {
      for (const path of ["/", "/api/trpc/organization.list", "/api/auth/session", "/nope"]) {
        const answer = await send(method, path);
        expect(answer, `${method} ${path}`).toMatchObject({
          status: 405,
          allow: "GET, HEAD, POST, OPTIONS",
        });
      }
    }
    expect(reached).toBe(0);
  });

  it("a path that does not decode answers 400", async () => {
    for (const path of ["/invite/%E0%A4%A", "/o/%ED%A0%80/projects", "/%", "/api/trpc/%C0"]) {
      expect((await send("GET", path)).status, path).toBe(400);
    }
    expect(reached).toBe(0);
  });

  it("everything else reaches the server", async () => {
    for (const [method, path] of [
      ["GET", "/"],
      ["HEAD", "/o/acme/projects"],
      ["POST", "/api/trpc/project.create"],
      ["OPTIONS", "/api/trpc/x"],
      ["GET", "/invite/abc%20def?q=%00&x=%E0%A4%A"],
    ] as const) {
      expect((await send(method, path)).status, `${method} ${path}`).toBe(200);
    }
    expect(reached).toBe(5);
  });

  it("refusalFor: the rule on its own", () => {
    expect(refusalFor(undefined, "/")?.status).toBe(405);
    expect(refusalFor("GET", undefined)).toBeNull();
    expect(refusalFor("GET", "/%zz")?.status).toBe(400);
  });
});
