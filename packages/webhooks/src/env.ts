// WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true lets deliveries reach loopback and private addresses
// (development and tests, whose receivers run on this machine); off in production.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export function webhooksEnv(source: Record<string, string | undefined> = process.env) {
  return createEnv({
    server: {
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z
        .enum(["true", "false"])
        .default("false")
        .transform((value) => value === "true"),
    },
    runtimeEnv: source,
    emptyStringAsUndefined: true,
  });
}
