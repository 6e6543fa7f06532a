// tRPC for server components: a caller with the same context the HTTP handler builds.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { appRouter, createCallerFactory, createContext } from "@plinth/api";
import { clientIp, currentSessionToken } from "@plinth/auth";
import { db } from "./db.ts";
import { getSessionUser } from "./session.ts";

const createCaller = createCallerFactory(appRouter);

export function requestIdFrom(h: Headers): string {
  const given = h.get("x-request-id");
  return given && /^[\w.-]{1,128}$/.test(given) ? given : crypto.randomUUID();
}

/** One caller per request. */
export const api = cache(async () => {
  const h = await headers();
  return createCaller(
    createContext({
      db: db(),
      user: await getSessionUser(),
      requestId: requestIdFrom(h),
      ipAddress: clientIp(h),
      userAgent: h.get("user-agent"),
      sessionToken: await currentSessionToken(),
    }),
  );
});
