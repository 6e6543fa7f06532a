// @plinth/client and the CLI end to end over HTTP: a real server answering /api/trpc the way
// the web app's route does for bearer clients (the verifier on the real database, then the
// product's router with the key actor), a real PostgreSQL, keys issued as the service does.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKeyRuntime, insertApiKey, type ApiKeyRuntime } from "@plinth/api-keys";
import { appErrorCode, createPlinthClient, TRPCClientError } from "@plinth/client";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { productRuntime } from "@plinth/product";
import { createProductRouter } from "@plinth/product/trpc";
import { createContext } from "@plinth/trpc";
import { handleTrpcRequest } from "@plinth/trpc/http";
import {
  LOCAL_BILLING,
  createTestKit,
  createUser,
  setPlan,
  silentLogger,
} from "@plinth/trpc/testing";
import { main } from "../src/main.ts";

const product = productRuntime("all");
const router = createProductRouter(product);
const kit = createTestKit(product, router);

let db: TestDatabase;
let keys: ApiKeyRuntime;
let server: Server;
let baseUrl: string;
let organizationId: string;
let otherOrganizationId: string;
let key: string;
let readOnlyKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  keys = createApiKeyRuntime({ db: db.system, lastUsedIntervalMs: false });
  server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "";
      const verified = await keys.verifier.verify(bearer);
      const response = verified.ok
        ? await handleTrpcRequest({
            router,
            endpoint: "/api/trpc",
            request,
            requestId: "cli-test",
            logger: silentLogger,
            createContext: () =>
              createContext({
                database: db,
                product,
                apiKey: verified.key,
                logger: silentLogger,
                billing: LOCAL_BILLING,
              }),
          })
        : Response.json({ error: { message: "Invalid API key" } }, { status: 401 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const owner = await createUser(db, "cli-owner@example.test");
  const organization = await kit.createOrganization(db, owner, "CLI Org");
  await setPlan(db, organization.id, "pro");
  organizationId = organization.id;
  const other = await kit.createOrganization(db, await createUser(db, "x@example.test"), "Other");
  otherOrganizationId = other.id;
  const scopes = ["projects:read", "projects:write"];
  key = (await insertApiKey(db.system, { organizationId, name: "cli", scopes })).key;
  readOnlyKey = (
    await insertApiKey(db.system, { organizationId, name: "ro", scopes: ["projects:read"] })
  ).key;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await keys?.close();
  await db?.drop();
});

describe("@plinth/client", () => {
  it("creates and lists projects with an API key, typed end to end", async () => {
    const plinth = createPlinthClient({ baseUrl, apiKey: key });
    const created = await plinth.project.create.mutate({ organizationId, name: "From the client" });
    expect(created.name).toBe("From the client");
    expect(created.createdAt).toBeInstanceOf(Date); // superjson
    const list = await plinth.project.list.query({ organizationId, status: "ACTIVE" });
    expect(list.map((project) => project.id)).toContain(created.id);
  });

  it("refuses another organization, a missing scope, procedures without a scope, bad keys", async () => {
    const plinth = createPlinthClient({ baseUrl, apiKey: key });
    const foreign = await plinth.project.list
      .query({ organizationId: otherOrganizationId, status: "ALL" })
      .catch((e: unknown) => e);
    expect(appErrorCode(foreign)).toBe("NOT_FOUND");

    const readOnly = createPlinthClient({ baseUrl, apiKey: readOnlyKey });
    const write = await readOnly.project.create
      .mutate({ organizationId, name: "Nope" })
      .catch((e: unknown) => e);
    expect(appErrorCode(write)).toBe("INSUFFICIENT_SCOPE");

    const rename = await plinth.project.rename
      .mutate({ organizationId, projectId: "c000000000000000000000000", name: "x" })
      .catch((e: unknown) => e);
    expect(appErrorCode(rename)).toBe("API_KEY_NOT_ALLOWED");
    expect((rename as TRPCClientError<never>).data).toMatchObject({ httpStatus: 403 });

    // One character changed (never to itself): the checksum refuses it.
    const mistyped = key.slice(0, -1) + (key.endsWith("x") ? "y" : "x");
    const bad = createPlinthClient({ baseUrl, apiKey: mistyped });
    const refused = await bad.project.list
      .query({ organizationId, status: "ALL" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
  });
});

describe("plinth CLI", () => {
  it("lists and creates projects", async () => {
    const source = {
      PLINTH_URL: baseUrl,
      PLINTH_API_KEY: key,
      PLINTH_ORGANIZATION_ID: organizationId,
    };
    const lines: string[] = [];
    expect(await main(["projects", "create", "CLI", "project"], (l) => lines.push(l), source)).toBe(
      0,
    );
    expect(lines.at(-1)).toMatch(/^created c[a-z0-9]{24}\tCLI project$/);
    expect(await main(["projects", "list"], (l) => lines.push(l), source)).toBe(0);
    expect(lines.some((line) => line.endsWith("\tACTIVE\tCLI project"))).toBe(true);
    expect(await main(["projects", "frobnicate"], (l) => lines.push(l), source)).toBe(2);
  });
});
