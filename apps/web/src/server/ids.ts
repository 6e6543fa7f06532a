// Id formats, checked before any query: a malformed id (a NUL byte, 600 characters) is a 404
// page, never a database error.
import { z } from "zod";

/** Prisma's `cuid()` default: "c" and 24 lower-case letters or digits. */
export const cuidSchema = z.string().regex(/^c[a-z0-9]{24}$/);

/** Rows made with a UUID chosen by the service (organizations) or Prisma's cuid default. */
export const recordIdSchema = z.union([z.uuid(), cuidSchema]);
