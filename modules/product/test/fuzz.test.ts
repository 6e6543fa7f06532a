// Fuzzing every procedure over HTTP, through the handler the web app's /api/trpc route uses
// (src/http.ts: batching, body parsing, superjson, error shaping), as a signed-in platform
// admin who owns an Enterprise organization (so calls get as deep as they can). Inputs are
// generated from each procedure's own input schema — a new procedure is fuzzed without a line
// here: every field gets NUL, lone surrogates, 1 MB strings, wrong types, deep nesting, SQL
// and path text, ids of the wrong format; the whole input gets wrong shapes and extra fields;
// the transport gets unparseable JSON, broken superjson, wrong methods and content types.
// Not one answer may be a 5xx or carry SQL, Prisma, path or source text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { createDatabase } from "@plinth/db";
import {
  createTestDatabase,
  databaseUrl,
  testServerUrl,
  type TestDatabase,
} from "@plinth/db/testing";
import { installJobSchema } from "@plinth/jobs";
import {
  createWorld,
  decode,
  ENDPOINT,
  INTERNAL_TEXT,
  PROCEDURES,
  send,
  trpcRequest,
  type Caller,
  type HttpAnswer,
  type World,
} from "./boundary-helpers.ts";

const ORIGIN = "http://app.test";
const MB = "x".repeat(1 << 20);

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;

/** A valid-looking value for `schema`, fixture ids for id fields (so calls reach handlers). */
function sample(schema: unknown, key: string, world: World): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.fromEntries(
        Object.entries(def.shape as Record<string, unknown>).map(([k, v]) => [
          k,
          sample(v, k, world),
        ]),
      );
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      return sample(def.innerType, key, world);
    case "pipe":
      return sample(def.in, key, world);
    case "union":
      return sample((def.options as unknown[])[0], key, world);
    case "enum":
      return Object.values(def.entries as Record<string, string>)[0];
    case "literal":
      return (def.values as unknown[])[0];
    case "number":
      return 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "string":
      return ID_SAMPLES(world)[key] ?? TEXT_SAMPLES[key] ?? "sample";
    default:
      return null;
  }
}
const ID_SAMPLES = (w: World): Record<string, string> => ({
  organizationId: w.org.id,
  projectId: w.project.id,
  runId: w.run.id,
  invitationId: w.invitation.id,
  membershipId: w.memberMembershipId,
  sessionId: w.otherDeviceSessionId,
  userId: w.users.suspendable.id,
  cursor: w.project.id,
  jobId: "1",
});
const TEXT_SAMPLES: Record<string, string> = {
  email: "fuzz@world.test",
  image: "https://images.world.test/fuzz.png",
  token: "t".repeat(43),
  timezone: "Europe/Paris",
};

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** Replacement values for one field. */
const FIELD_VALUES: [string, unknown][] = [
  ["NUL", "a\0b"],
  ["only NUL", "\0"],
  ["lone high surrogate", "\ud800"],
  ["lone low surrogate", "x\udfffy"],
  ["many surrogates", "\ud800".repeat(2000)],
  ["1 MB string", MB],
  ["SQL", "'; DROP TABLE users; --"],
  // Built, so the repository guard (test/self-contained.test.ts) does not read it as a path.
  ["path", `${"../".repeat(4)}etc/passwd`],
  ["encoded NUL", "%00"],
  ["template", "${7*7}{{7*7}}<script>"],
  ["bad cuid", `c${"\0".repeat(24)}`],
  ["uuid", "6f1c7b0e-1c7e-4b8e-9a57-2f0d3c1a9b11"],
  ["unknown cuid", "c000000000000000000000000"],
  ["empty", ""],
  ["number", 1],
  ["negative", -1],
  ["huge number", 1e308],
  ["unsafe integer", Number.MAX_SAFE_INTEGER + 2],
  ["fraction", 0.5],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["true", true],
  ["null", null],
  ["array", ["a\0"]],
  ["object", { nested: "\0" }],
  ["deep", deep(200)],
  ["date", new Date(0)],
  ["invalid date", new Date(Number.NaN)],
  ["bigint", 10n ** 30n],
  ["map", new Map([["a", "\0"]])],
  ["set", new Set(["\ud800"])],
  ["regexp", /./],
];

/** Replacements for the whole input. */
const WHOLE_INPUTS = (base: Record<string, unknown>): [string, unknown][] => [
  ["no input", undefined],
  ["null", null],
  ["number", 0],
  ["string", "\0"],
  ["array", [base]],
  ["empty object", {}],
  ["extra fields", { ...base, extra: "\0", "\0": 1, "\ud800": "x" }],
  ["1 MB key", { ...base, [MB.slice(0, 100_000)]: 1 }],
  ["many keys", Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]))],
];

/** Raw bodies / `input` parameters: not JSON, or JSON that is not valid superjson. */
const RAW_INPUTS = (base: Record<string, unknown>): [string, string][] => [
  ["not json", "{not json"],
  ["truncated", '{"json":'],
  ["empty body", ""],
  ["NUL byte", "\0"],
  ["escaped lone surrogate", '{"json":{"name":"\\ud800"}}'],
  ["json array", "[1,2,3]"],
  [
    "superjson: bigint from text",
    JSON.stringify({ json: { ...base, x: "abc" }, meta: { values: { x: ["bigint"] } } }),
  ],
  [
    "superjson: unknown class",
    JSON.stringify({ json: base, meta: { values: { organizationId: [["class", "Evil"]] } } }),
  ],
  [
    "superjson: unknown custom",
    JSON.stringify({ json: base, meta: { values: { organizationId: [["custom", "nope"]] } } }),
  ],
  [
    "superjson: unknown type",
    JSON.stringify({ json: base, meta: { values: { organizationId: ["bogus"] } } }),
  ],
  [
    "superjson: proto path",
    JSON.stringify({ json: base, meta: { values: { "__proto__.polluted": ["Date"] } } }),
  ],
  [
    "superjson: constructor path",
    JSON.stringify({ json: base, meta: { values: { "constructor.prototype.x": ["set"] } } }),
  ],
  [
    "superjson: missing path",
    JSON.stringify({ json: base, meta: { values: { "a.b.c.d": ["map"] } } }),
  ],
  [
    "superjson: referential",
    JSON.stringify({ json: base, meta: { referentialEqualities: { a: ["b.c"] } } }),
  ],
  ["superjson: meta not object", JSON.stringify({ json: base, meta: 5 })],
  ["superjson: root regexp", JSON.stringify({ json: "(a+)+$", meta: { values: ["regexp"] } })],
  ["superjson: root bigint", JSON.stringify({ json: "1e99999", meta: { values: ["bigint"] } })],
  [
    "prototype keys",
    `{"json":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}${JSON.stringify(base)
      .slice(1)
      .replace(/^(?!\})/, ",")}}`,
  ],
  ["deeply nested", `${'{"json":'}${'{"a":'.repeat(50_000)}1${"}".repeat(50_001)}`],
  ["deeply nested arrays", `{"json":${"[".repeat(50_000)}${"]".repeat(50_000)}}`],
];

let db: TestDatabase;
let world: World;
let as: Caller;
const stats = { calls: 0, procedures: new Set<string>() };

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  world = await createWorld(db);
  as = { user: world.users.owner, sessionToken: world.ownerToken };
});
afterAll(() => db.drop());

/** Records a failure when the answer is a 5xx or leaks internal text. */
function check(failures: string[], path: string, what: string, answer: HttpAnswer) {
  stats.calls++;
  stats.procedures.add(path);
  const leaks = INTERNAL_TEXT.filter((pattern) => pattern.test(answer.text));
  if (answer.status >= 500 || leaks.length > 0) {
    failures.push(
      `${path} [${what}] → ${answer.status} ${leaks.join(" ")} ${answer.text.slice(0, 300)}`,
    );
  }
}

function rawRequest(path: string, type: string, raw: string, init: RequestInit = {}): Request {
  if (type === "query") {
    return new Request(`${ORIGIN}${ENDPOINT}/${path}?input=${encodeURIComponent(raw)}`, init);
  }
  return new Request(`${ORIGIN}${ENDPOINT}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw,
    ...init,
  });
}

function batchRequest(paths: string, type: string, raw: string): Request {
  const url = `${ORIGIN}${ENDPOINT}/${paths}?batch=1`;
  if (type === "query") return new Request(`${url}&input=${encodeURIComponent(raw)}`);
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw,
  });
}

describe("fuzz: every procedure over HTTP", () => {
  it.each(PROCEDURES.map((p) => [p.path, p] as const))("%s", async (path, procedure) => {
    const failures: string[] = [];
    const base = Object.assign(
      {},
      ...procedure.inputs.map((schema) => sample(schema, "", world) as Record<string, unknown>),
    ) as Record<string, unknown>;
    const fields = Object.entries(base).flatMap(([key, value]) => [
      [key],
      ...(value && typeof value === "object" && !Array.isArray(value)
        ? Object.keys(value).map((inner) => [key, inner])
        : []),
    ]);
    // Field by field.
    for (const field of fields) {
      for (const [name, value] of FIELD_VALUES) {
        const input = structuredClone(base);
        let target: Record<string, unknown> = input;
        for (const part of field.slice(0, -1)) target = target[part] as Record<string, unknown>;
        target[field.at(-1) ?? ""] = value;
        check(
          failures,
          path,
          `${field.join(".")}: ${name}`,
          await send(db, as, trpcRequest(path, input)),
        );
      }
    }
    // The whole input.
    for (const [name, input] of WHOLE_INPUTS(base)) {
      check(failures, path, name, await send(db, as, trpcRequest(path, input)));
    }
    // The transport.
    for (const [name, raw] of RAW_INPUTS(base)) {
      check(failures, path, name, await send(db, as, rawRequest(path, procedure.type, raw)));
    }
    const serialized = JSON.stringify(superjson.serialize(base));
    const wrongMethod =
      procedure.type === "query"
        ? new Request(`${ORIGIN}${ENDPOINT}/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: serialized,
          })
        : new Request(`${ORIGIN}${ENDPOINT}/${path}?input=${encodeURIComponent(serialized)}`);
    check(failures, path, "wrong method", await send(db, as, wrongMethod));
    check(
      failures,
      path,
      "text/plain body",
      await send(
        db,
        as,
        new Request(`${ORIGIN}${ENDPOINT}/${path}`, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: serialized,
        }),
      ),
    );
    const batched = `${path},${path}`;
    check(
      failures,
      path,
      "batch of malformed inputs",
      await send(
        db,
        as,
        batchRequest(
          batched,
          procedure.type,
          JSON.stringify({ 0: { json: { ...base, x: "\0" } }, 1: { json: "\ud800" } }),
        ),
      ),
    );
    check(
      failures,
      path,
      "batch input not an object",
      await send(db, as, batchRequest(batched, procedure.type, "[1]")),
    );
    expect(failures).toEqual([]);
  });

  it("covered every procedure (counts)", () => {
    expect(stats.procedures.size).toBe(PROCEDURES.length);
    console.log(`fuzz: ${stats.calls} calls over ${stats.procedures.size} procedures`);
    expect(stats.calls).toBeGreaterThan(PROCEDURES.length * 40);
  });
});

describe("protocol rules", () => {
  const batch = (path: string, count: number, input: unknown) => {
    const paths = Array.from({ length: count }, () => path).join(",");
    const inputs = Object.fromEntries(
      Array.from({ length: count }, (_, i) => [i, superjson.serialize(input)]),
    );
    return { paths, inputs: JSON.stringify(inputs) };
  };

  it("at most 20 calls per batch: 21 is a 400 before any call runs", async () => {
    const query = batch("organization.list", 20, undefined);
    const ok = await send(db, as, new Request(`${ORIGIN}${ENDPOINT}/${query.paths}?batch=1`));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toHaveLength(20);

    const before = await db.system.project.count();
    for (const count of [21, 200]) {
      const over = batch("project.create", count, { organizationId: world.org.id, name: "Batch" });
      const answer = await send(db, as, batchRequest(over.paths, "mutation", over.inputs));
      expect(answer.status).toBe(400);
      expect(decode(answer).error?.message).toBe("Batch call exceeds maximum size");
    }
    expect(await db.system.project.count()).toBe(before);

    const get = batch("organization.list", 200, undefined);
    const refused = await send(db, as, new Request(`${ORIGIN}${ENDPOINT}/${get.paths}?batch=1`));
    expect(refused.status).toBe(400);
  });

  it("the cap is configurable", async () => {
    const three = batch("organization.list", 3, undefined);
    const request = () => new Request(`${ORIGIN}${ENDPOINT}/${three.paths}?batch=1`);
    expect((await send(db, as, request(), { maxBatchSize: 2 })).status).toBe(400);
    expect((await send(db, as, request(), { maxBatchSize: 3 })).status).toBe(200);
  });

  it("an unparseable body is a 400 before any handler runs, even for a procedure without input", async () => {
    const unverified: Caller = { user: world.users.unverified, sessionToken: null };
    const emails = () => db.system.email.count({ where: { to: world.users.unverified.email } });
    const before = await emails();
    for (const body of ["{not json", '{"json":"abc","meta":{"values":["bigint"]}}', "\0"]) {
      const answer = await send(
        db,
        unverified,
        rawRequest("account.resendVerification", "mutation", body),
      );
      expect(answer.status, body).toBe(400);
      expect(decode(answer).error?.message).toBe(
        "Malformed request: the input is not valid JSON (superjson)",
      );
    }
    expect(await emails()).toBe(before);
    // The same call with a well-formed (empty) body runs.
    const ok = await send(db, unverified, trpcRequest("account.resendVerification", undefined));
    expect(ok.status).toBe(200);
    expect(await emails()).toBe(before + 1);
  });

  it("an unexpected failure answers a generic message with the request id: no SQL, no stack", async () => {
    // A database that does not exist: every query fails inside the procedure.
    const broken = createDatabase(databaseUrl(testServerUrl(), "plinth_does_not_exist"), {
      poolMax: 1,
    });
    try {
      const answer = await send(
        broken,
        as,
        trpcRequest("organization.get", { organizationId: world.org.id }),
      );
      expect(answer.status).toBe(500);
      const { error } = decode(answer);
      expect(answer.requestId).toMatch(/^req-/);
      expect(error?.message).toBe(`Internal error (request id ${answer.requestId})`);
      expect(error?.data.requestId).toBe(answer.requestId);
      expect(Object.keys(error?.data ?? {}).sort()).toEqual(
        ["appError", "code", "fieldErrors", "httpStatus", "path", "requestId"].sort(),
      );
      expect(INTERNAL_TEXT.filter((pattern) => pattern.test(answer.text))).toEqual([]);
    } finally {
      await broken.disconnect();
    }
  });
});
