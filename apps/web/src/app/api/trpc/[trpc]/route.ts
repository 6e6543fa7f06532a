import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@plinth/api";
import { clientIp } from "@plinth/auth";
import { db } from "~/server/db.ts";
import { getSessionUser } from "~/server/session.ts";
import { requestIdFrom } from "~/server/trpc.ts";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  const requestId = requestIdFrom(request.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () =>
      createContext({ db: db(), user: await getSessionUser(), requestId, ipAddress: clientIp(request.headers) }),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId, "cache-control": "no-store" }) }),
  });
}

export { handler as GET, handler as POST };
