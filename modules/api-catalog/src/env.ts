// The API catalog's environment (@t3-oss/env-core): the loopback demo upstream's port
// (scripts/dev.ts starts it; the demo catalog points at it).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, type RuntimeEnv } from "@plinth/core/env";

export function parseApiCatalogEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      DEMO_UPSTREAM_PORT: z.coerce.number().int().min(0).max(65_535).default(3004),
    },
    ...envOptions("api-catalog", source),
  });
}
