// @plinth/webhooks' configuration (@t3-oss/env-core; composed by the worker's env.ts).
// WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true lets deliveries reach loopback, private and link-local
// addresses (development and tests, whose receivers run on this machine); off in production.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

export function parseWebhooksEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z
        .enum(["true", "false"])
        .default("false")
        .transform((value) => value === "true"),
    },
    ...envOptions("webhooks", source),
  });
}

export type WebhooksEnv = ReturnType<typeof parseWebhooksEnv>;

export const webhooksEnv = once(() => parseWebhooksEnv());
