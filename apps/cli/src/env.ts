// The CLI's configuration (the only file of apps/cli that reads process.env).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export function parseCliEnv(source: Record<string, string | undefined> = process.env) {
  return createEnv({
    server: {
      PLINTH_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
      PLINTH_API_KEY: z.string().regex(/^plk_(live|test)_[0-9A-Za-z]+$/, "is not a Plinth API key"),
      PLINTH_ORGANIZATION_ID: z.uuid(),
    },
    runtimeEnv: { ...source },
    emptyStringAsUndefined: true,
  });
}
