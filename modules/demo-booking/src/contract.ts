// The demo-booking procedures' inputs: the router validates with these and the /demo form
// validates with the very same schemas before sending (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid, email, text } from "@plinth/core/inputs";

const optionalText = (max: number) =>
  z.optional(
    z.pipe(
      text(max, z.trim()),
      z.transform((value) => (value === "" ? undefined : value)),
    ),
  );

/** The built-in form (no Calendly account): who wants a demo, and what about. */
export const requestDemoInput = z.object({
  name: text(120, z.trim(), z.minLength(1, "Enter your name")),
  email,
  company: optionalText(120),
  message: optionalText(2000),
});

/** The operator console's list: newest first, `limit` a page, `cursor` the last id seen. */
export const listDemoBookingsInput = z.object({
  limit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(cuid),
});
