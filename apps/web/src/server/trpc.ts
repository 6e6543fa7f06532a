// tRPC for server components: a caller of the product's router with the same context the
// HTTP handler builds.
import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { clientIp, currentSessionToken } from "@plinth/auth";
import { activeProduct } from "@plinth/product";
import { appRouter } from "@plinth/product/trpc";
import { createCallerFactory, createContext } from "@plinth/trpc";
import { db } from "./db.ts";
import { organizationContexts } from "./organization-contexts.ts";
import { getSessionUser } from "./session.ts";

const callerFactory = cache(() => createCallerFactory(appRouter()));

export function requestIdFrom(h: Headers): string {
  const given = h.get("x-request-id");
  return given && /^[\w.-]{1,128}$/.test(given) ? given : crypto.randomUUID();
}

/** One caller per request. */
export const api = cache(async () => {
  const h = await headers();
  return callerFactory()(
    createContext({
      database: db(),
      product: activeProduct(),
      user: await getSessionUser(),
      requestId: requestIdFrom(h),
      ipAddress: clientIp(h),
      userAgent: h.get("user-agent"),
      sessionToken: await currentSessionToken(),
      organizationContexts: organizationContexts(),
    }),
  );
});
