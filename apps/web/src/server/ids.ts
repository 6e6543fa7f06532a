import { z } from "zod";

/** Prisma's `cuid()` ids ("c" and 24 lower-case letters or digits): checked before any query. */
export const cuidSchema = z.string().regex(/^c[a-z0-9]{24}$/);
