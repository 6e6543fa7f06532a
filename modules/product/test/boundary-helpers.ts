// Shared by the boundary tests (answers.test.ts, fuzz.test.ts): the router over HTTP through
// the same handler the web app's /api/trpc route uses (src/http.ts: batching, body parsing,
// error shaping), a world of fixtures with secrets in it, and the scans of what comes back.
import { randomBytes } from "node:crypto";
import superjson from "superjson";
import type { Database } from "@plinth/db";
import type { TestDatabase } from "@plinth/db/testing";
import { hashPassword } from "@plinth/auth/password";
import { handleTrpcRequest } from "@plinth/trpc/http";
import type { SessionUser } from "@plinth/core/scope";
import { createContext } from "@plinth/trpc";
import {
  addMember,
  appRouter,
  createOrganization,
  createUser,
  product,
  setPlan,
  silentLogger,
} from "./kit.ts";

export const ENDPOINT = "/api/trpc";
const ORIGIN = "http://app.test";
/** The local billing provider (no Stripe): every billing procedure works offline. */
export const LOCAL_BILLING = { stripe: null, appUrl: ORIGIN, pastDueGraceDays: 7 };

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
export const PROCEDURES = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
).map(([path, procedure]) => ({ path, type: procedure._def.type, inputs: procedure._def.inputs }));

export interface Caller {
  user: SessionUser | null;
  /** The session cookie's value of this caller (the route reads it from the request). */
  sessionToken: string | null;
}

export interface HttpAnswer {
  status: number;
  text: string;
  /** The x-request-id header. */
  requestId: string | null;
}

/** Sends a request to the tRPC HTTP handler as `caller` (as the web route does once it knows them). */
export async function send(
  db: Database,
  caller: Caller,
  request: Request,
  options: { maxBatchSize?: number } = {},
): Promise<HttpAnswer> {
  const requestId = `req-${randomBytes(6).toString("hex")}`;
  const response = await handleTrpcRequest({
    endpoint: ENDPOINT,
    router: appRouter,
    request,
    requestId,
    logger: silentLogger,
    ...options,
    createContext: () =>
      createContext({
        database: db,
        product,
        user: caller.user,
        requestId,
        ipAddress: "203.0.113.9",
        userAgent: "vitest",
        sessionToken: caller.sessionToken,
        logger: silentLogger,
        billing: LOCAL_BILLING,
      }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text: response.headers.get("content-type")?.startsWith("text/event-stream")
      ? sseAsJson(text)
      : text,
    requestId: response.headers.get("x-request-id"),
  };
}

/**
 * A subscription's SSE answer (tRPC 11 httpSubscriptionLink) as the JSON answer shape: its
 * data events as one array, or its error event as the error — so the scans read it the same.
 */
function sseAsJson(text: string): string {
  const events: unknown[] = [];
  let event = "message";
  for (const line of text.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) {
      const data: unknown = JSON.parse(line.slice(5).trim() || "null");
      if (event === "serialized-error") return JSON.stringify({ error: { json: data } });
      if (event === "message") events.push(data);
    } else if (line === "") event = "message";
  }
  return JSON.stringify({ result: { data: { json: events } } });
}

/** A tRPC call as the client sends it: GET ?input= for queries, a POSTed body for mutations. */
export function trpcRequest(path: string, input: unknown): Request {
  const procedure = PROCEDURES.find((p) => p.path === path);
  const serialized = JSON.stringify(superjson.serialize(input));
  if (procedure?.type === "query" || procedure?.type === "subscription") {
    return new Request(`${ORIGIN}${ENDPOINT}/${path}?input=${encodeURIComponent(serialized)}`);
  }
  return new Request(`${ORIGIN}${ENDPOINT}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: serialized,
  });
}

/** The answer's data (superjson-decoded) or error, as the client would see it. */
export function decode(answer: HttpAnswer): { data?: unknown; error?: ErrorShape } {
  const body = JSON.parse(answer.text) as { result?: { data: never }; error?: { json: never } };
  if (body.error) return { error: superjson.deserialize(body.error) };
  return { data: body.result ? superjson.deserialize(body.result.data) : undefined };
}

export interface ErrorShape {
  message: string;
  code: number;
  data: { code: string; httpStatus: number; requestId: string | null; [key: string]: unknown };
}

// ─── What must never come back ────────────────────────────────────────────────────────────

/**
 * Field names of secrets. Legit fields that match are listed in LEGIT_SECRET_LIKE_FIELDS by
 * the tests, each with its reason.
 */
export const SECRET_FIELD = /pass(word)?|secret|token|hash|salt|cipher|nonce|private|credential/i;

/** Text of databases, libraries and source: SQL, Prisma, paths, stack frames. */
export const INTERNAL_TEXT = [
  /prisma/i,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s/,
  /invalid byte sequence/i,
  /\bSQLSTATE\b|\bcode: `\d{5}`/,
  /DriverAdapterError|PrismaClient/,
  /\/work\/|\/home\/|\/tmp\/|node_modules/,
  /\.(ts|tsx|js|mjs|cjs):\d+/,
  /\n\s+at\s/,
  /"stack"/,
];

/** Every key anywhere in a JSON value, with its path. */
export function keysOf(value: unknown, path = "$"): { key: string; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => keysOf(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    { key, path: `${path}.${key}` },
    ...keysOf(inner, `${path}.${key}`),
  ]);
}

// ─── The world ────────────────────────────────────────────────────────────────────────────

export const PASSWORD = "a very good password";

export async function createWorld(db: TestDatabase) {
  const passwordHash = await hashPassword(PASSWORD);
  const owner = await createUser(db, "owner@world.test", { platformRole: "SUPER_ADMIN" });
  const member = await createUser(db, "member@world.test");
  const invitee = await createUser(db, "invitee@world.test");
  const unverified = await createUser(db, "unverified@world.test", { emailVerified: null });
  const doomed = await createUser(db, "doomed@world.test");
  const suspendable = await createUser(db, "suspendable@world.test");
  for (const user of [owner, member, invitee, unverified, doomed, suspendable]) {
    await db.system.user.update({
      where: { id: user.id },
      data: { passwordHash, image: `https://images.world.test/${user.id}.png` },
    });
  }

  const org = await createOrganization(db, owner, "World Co");
  await setPlan(db, org.id, "enterprise");
  await addMember(db, org.id, member, "MEMBER");
  const spare = await createOrganization(db, owner, "Spare Co");
  await setPlan(db, spare.id, "enterprise");
  await addMember(db, spare.id, member, "MEMBER");
  await db.system.organization.update({
    where: { id: org.id },
    data: { stripeCustomerId: `cus_${randomBytes(8).toString("hex")}` },
  });

  const project = await db.system.project.create({
    data: { organizationId: org.id, name: "World project" },
  });
  const run = await db.system.run.create({ data: { organizationId: org.id, kind: "demo" } });
  const invitation = await db.system.invitation.create({
    data: {
      organizationId: org.id,
      email: "pending@world.test",
      role: "MEMBER",
      tokenHash: randomBytes(32).toString("hex"),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const expires = new Date(Date.now() + 30 * 86_400_000);
  const ownerToken = randomBytes(32).toString("base64url");
  const otherDevice = await db.system.session.create({
    data: { sessionToken: randomBytes(32).toString("base64url"), userId: owner.id, expires },
  });
  await db.system.session.create({ data: { sessionToken: ownerToken, userId: owner.id, expires } });
  await db.system.account.create({
    data: {
      userId: owner.id,
      type: "oauth",
      provider: "github",
      providerAccountId: "gh-owner",
      access_token: `gho_${randomBytes(16).toString("hex")}`,
      refresh_token: `ghr_${randomBytes(16).toString("hex")}`,
      id_token: `eyJ${randomBytes(24).toString("base64url")}`,
    },
  });
  await db.system.apiKey.create({
    data: {
      organizationId: org.id,
      name: "CI",
      prefix: `pk_test_${randomBytes(3).toString("hex")}`,
      keyHash: randomBytes(32).toString("hex"),
    },
  });
  const ownership = (userId: string, organizationId: string) =>
    db.system.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId, userId } },
    });
  return {
    users: { owner, member, invitee, unverified, doomed, suspendable },
    org,
    spare,
    project,
    run,
    invitation,
    otherDeviceSessionId: otherDevice.id,
    memberMembershipId: (await ownership(member.id, org.id)).id,
    spareMemberMembershipId: (await ownership(member.id, spare.id)).id,
    ownerToken,
  };
}
export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * Every secret value the database holds: session tokens, password hashes, token hashes, key
 * hashes, provider tokens, Stripe ids. None may appear in any answer.
 */
export async function secretValues(db: TestDatabase): Promise<string[]> {
  const [users, sessions, accounts, invitations, userTokens, apiKeys, orgs, verification] =
    await Promise.all([
      db.system.user.findMany({ select: { passwordHash: true } }),
      db.system.session.findMany({ select: { sessionToken: true } }),
      db.system.account.findMany({
        select: { access_token: true, refresh_token: true, id_token: true },
      }),
      db.system.invitation.findMany({ select: { tokenHash: true } }),
      db.system.userToken.findMany({ select: { tokenHash: true } }),
      db.system.apiKey.findMany({ select: { keyHash: true } }),
      db.system.organization.findMany({ select: { stripeCustomerId: true } }),
      db.system.verificationToken.findMany({ select: { token: true } }),
    ]);
  return [
    ...users.map((u) => u.passwordHash),
    ...sessions.map((s) => s.sessionToken),
    ...accounts.flatMap((a) => [a.access_token, a.refresh_token, a.id_token]),
    ...invitations.map((i) => i.tokenHash),
    ...userTokens.map((t) => t.tokenHash),
    ...apiKeys.map((k) => k.keyHash),
    ...orgs.map((o) => o.stripeCustomerId),
    ...verification.map((v) => v.token),
  ].filter((value): value is string => typeof value === "string" && value.length >= 8);
}
