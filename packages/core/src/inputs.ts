// The input rule (docs/security.md), in one place: every string a procedure accepts is bounded,
// well-formed text — no NUL and no unpaired UTF-16 surrogate, which PostgreSQL refuses and no
// one types — and every id has the format the database gives it, so malformed input is a
// BAD_REQUEST with field errors before any query runs. Procedure inputs build their strings
// from these helpers only: test/inputs.test.ts walks every procedure's input schema and fails
// on a string without the rule or without a maximum length.
//
// Written with zod's "mini" API: the contracts (./contracts.ts) are built from these and are
// also the browser forms' validation, where classic zod would weigh ~30 KB gzip per page.
import * as z from "zod/mini";
import "./zod-mini.ts";

/** NUL, or a surrogate code point: with the `u` flag only an unpaired surrogate is one. */
const NOT_TEXT = /[\0\p{Cs}]/u;

/** Refuses NUL and lone surrogates (strings are UTF-16 in JS; the database wants UTF-8). */
export const WELL_FORMED_TEXT = z.refine<string>((value) => !NOT_TEXT.test(value), {
  message: "Contains a character that is not allowed",
  abort: true,
});

/**
 * Bounded, well-formed text, then any further checks in order: `text(80, z.trim(),
 * z.minLength(1, "Enter a name"))`, formats (`z.email()`), patterns (`z.regex(…)`).
 */
export function text(max: number, ...checks: z.core.$ZodCheck<string>[]) {
  return z
    .string()
    .check(WELL_FORMED_TEXT, z.maxLength(max, `Use at most ${max} characters`), ...checks);
}

/** Ids of rows created with Prisma's `cuid()` (users, projects, runs, memberships, …). */
const CUID = /^c[a-z0-9]{24}$/;
export const cuid = text(25, z.regex(CUID, "Not a valid id"));

/** Organization ids: UUIDs (organizations/service.ts and the schema's default). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const organizationId = text(36, z.regex(UUID, "Not a valid organization id"));

/** An email address, trimmed and lower-cased (addresses are stored that way). */
export const email = text(
  254,
  z.trim(),
  z.toLowerCase(),
  z.email({ message: "Enter a valid email address" }),
);

/** An http(s) URL (profile images). */
export const httpUrl = text(
  2048,
  z.url({ protocol: /^https?$/, message: "Enter an http(s) image URL" }),
);

// ── Inputs that pages also read from their URLs (see urlParameter) ──

/** Organization slugs as organizations/service.ts makes them (/o/[slug]). */
export const slug = text(64, z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Not a valid slug"));

/** Email verification and password reset links' tokens (?token=). */
export const userToken = text(256, z.trim(), z.minLength(1, "The link is incomplete"));

/** Invitation links' tokens (/invite/[token]): any text, a malformed one answers like an unknown one. */
export const invitationToken = text(512);

/** The operator console's search box (?q=). */
export const searchQuery = text(100);

/**
 * A value for a page's URL parameter: what `schema` accepts, or undefined — a malformed
 * parameter is treated as absent, so a page never calls a procedure with input it refuses.
 */
export function urlParameter<T>(schema: z.core.$ZodType<T>, value: unknown): T | undefined {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? parsed.data : undefined;
}
