"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClientErrorLike,
} from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@plinth/product/trpc";
import { createApiHooks } from "@plinth/web-kit/api";

// The app's hooks over the whole product router; a module's pages make their own over their
// module's slice (createApiHooks), and read the client and cache this provider sets up.
export const trpc = createApiHooks<AppRouter>();
export type ClientError = TRPCClientErrorLike<AppRouter>;

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) => {
          const code = (error as Partial<ClientError>).data?.code;
          return (
            count < 2 && code !== "UNAUTHORIZED" && code !== "FORBIDDEN" && code !== "NOT_FOUND"
          );
        },
      },
    },
  });
}

export function TRPCProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [client] = useState(() =>
    trpc.createClient({
      links: [
        // Subscriptions (an AI task's live tokens) over SSE; everything else batched.
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson }),
        }),
      ],
    }),
  );
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
