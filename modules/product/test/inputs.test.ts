// The input rule (src/inputs.ts) holds for every procedure: this walks every input schema of
// the router and fails on a string that does not refuse NUL / lone surrogates or has no
// maximum length, and on an input part that is not described at all (any, unknown). A
// procedure added with a bare z.string() fails here.
import { TRPCError } from "@plinth/trpc/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as zm from "zod/mini";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { cuid, organizationId, text, urlParameter, WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { appRouter } from "./kit.ts";
import { callerFor, createOrganization, createUser } from "./kit.ts";

type Def = { type: string; [key: string]: unknown };
type Schema = { _zod: { def: Def } };
const isSchema = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && "_zod" in value;

/** Every place in `schema` that breaks the rule, as "path: problem". */
export function inputRuleViolations(schema: unknown, path = "input"): string[] {
  if (!isSchema(schema)) return [`${path}: not a zod schema`];
  const def = schema._zod.def;
  const inner = (key: string, at = path) => inputRuleViolations(def[key], at);
  switch (def.type) {
    case "string": {
      const checks = (def.checks as { _zod: { def: { check: string } } }[] | undefined) ?? [];
      const problems: string[] = [];
      if (!checks.includes(WELL_FORMED_TEXT))
        problems.push(
          `${path}: a string without the input rule (use text()/cuid/… from inputs.ts)`,
        );
      if (!checks.some((check) => check._zod.def.check === "max_length"))
        problems.push(`${path}: a string without a maximum length`);
      return problems;
    }
    case "number":
    case "boolean":
    case "enum":
    case "literal":
    case "date":
    case "null":
    case "undefined":
      return [];
    case "object":
      return Object.entries(def.shape as Record<string, unknown>).flatMap(([key, value]) =>
        inputRuleViolations(value, `${path}.${key}`),
      );
    case "array":
      return inner("element", `${path}[]`);
    case "record":
      return [...inner("keyType", `${path}{key}`), ...inner("valueType", `${path}{}`)];
    case "union":
      return (def.options as unknown[]).flatMap((option, index) =>
        inputRuleViolations(option, `${path}|${index}`),
      );
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
    case "catch":
      return inner("innerType");
    case "pipe":
      return [...inner("in"), ...inner("out")];
    case "transform":
      return []; // the output side of a pipe whose input side was walked
    default:
      return [`${path}: ${def.type} is not allowed in procedure inputs (describe it with zod)`];
  }
}

type ProcedureDef = { _def: { inputs: unknown[] } };
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureDef>,
);

describe("the input rule, for every procedure", () => {
  it("the walker flags a bare string, an unbounded one and an undescribed value", () => {
    expect(inputRuleViolations(z.object({ name: z.string().max(10) }))).toEqual([
      "input.name: a string without the input rule (use text()/cuid/… from inputs.ts)",
    ]);
    expect(inputRuleViolations(z.object({ name: z.string().check(WELL_FORMED_TEXT) }))).toEqual([
      "input.name: a string without a maximum length",
    ]);
    expect(inputRuleViolations(z.object({ data: z.unknown() }))).toEqual([
      "input.data: unknown is not allowed in procedure inputs (describe it with zod)",
    ]);
    expect(
      inputRuleViolations(
        z.object({ name: z.optional(text(10, zm.trim(), zm.minLength(1))), id: cuid }),
      ),
    ).toEqual([]);
  });

  it.each(procedures)("%s: every string input carries the rule", (_path, procedure) => {
    expect(procedure._def.inputs.flatMap((schema) => inputRuleViolations(schema))).toEqual([]);
  });
});

describe("text, ids and URL parameters", () => {
  it("refuses NUL and lone surrogates, keeps every other character", () => {
    const schema = text(100);
    for (const bad of ["a\0b", "\0", "\ud800", "x\udfffy", "\ud83d"]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const good of ["", "plain", "😀 emoji", "日本語", "tab\tand\nnewline", "\u200b"]) {
      expect(schema.safeParse(good).success, JSON.stringify(good)).toBe(true);
    }
    expect(schema.safeParse("x".repeat(101)).success).toBe(false);
  });

  it("ids have their database format", () => {
    expect(cuid.safeParse("cmx55u7a60000tc7dfympcugx").success).toBe(true);
    expect(organizationId.safeParse(crypto.randomUUID()).success).toBe(true);
    for (const bad of [
      "",
      "nope",
      "c" + "0".repeat(23),
      "C".padEnd(25, "0"),
      "c\0".padEnd(25, "0"),
    ]) {
      expect(cuid.safeParse(bad).success, bad).toBe(false);
    }
    expect(organizationId.safeParse("cmx55u7a60000tc7dfympcugx").success).toBe(false);
  });

  it("a malformed URL parameter is absent", () => {
    expect(urlParameter(text(10), "fine")).toBe("fine");
    expect(urlParameter(text(10), "bad\0")).toBeUndefined();
    expect(urlParameter(text(10), ["a", "b"])).toBeUndefined();
    expect(urlParameter(text(10), undefined)).toBeUndefined();
  });
});

describe("through a procedure", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it("NUL, a lone surrogate or a malformed id is BAD_REQUEST with field errors, and changes nothing", async () => {
    const user = await createUser(db, "rule@inputs.test");
    const org = await createOrganization(db, user, "Rules Inc");
    const api = callerFor(db, user);
    const attempts: [string, () => Promise<unknown>, string][] = [
      ["name", () => api.project.create({ organizationId: org.id, name: "bad\0name" }), "name"],
      [
        "name",
        () => api.organization.update({ organizationId: org.id, name: "Org \ud800" }),
        "name",
      ],
      ["id", () => api.organization.get({ organizationId: "not-an-id" }), "organizationId"],
      [
        "id",
        () => api.run.get({ organizationId: org.id, runId: "x'; DROP TABLE runs; --" }),
        "runId",
      ],
      ["query", () => api.account.updateProfile({ name: "\0" }), "name"],
    ];
    for (const [, attempt, field] of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect(
        Object.keys(z.flattenError((error as TRPCError).cause as z.ZodError).fieldErrors),
      ).toEqual([field]);
    }
    expect(await db.system.project.count({ where: { organizationId: org.id } })).toBe(0);
    expect((await db.system.organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe(
      "Rules Inc",
    );
  });
});
