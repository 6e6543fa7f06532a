// The signed-in user's scope for src/proxy.ts (the terms step), built like the tRPC context but
// from the session lookup alone: the proxy never runs Auth.js (knownSessionUser).
import "server-only";
import { clientIp, knownSessionUser } from "@plinth/auth";
import { asUserScope, type UserScope } from "@plinth/platform";
import { activeProduct } from "@plinth/product";
import { createContext } from "@plinth/trpc";
import { db } from "./db.ts";

export async function proxyUserScope(headers: Headers): Promise<UserScope | null> {
  const user = await knownSessionUser();
  if (!user) return null;
  const { scope } = createContext({
    database: db(),
    product: activeProduct(),
    user,
    requestId: headers.get("x-request-id"),
    ipAddress: clientIp(headers),
    userAgent: headers.get("user-agent"),
  });
  return asUserScope(scope);
}
