// Which product this process runs: PLINTH_PRODUCT names a preset of plinth.config.ts
// (default `all`, the demo with every module). Composed by each app's env.ts.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";
import { PRESET_NAMES, resolvePresetKey } from "./presets.ts";

export function parseProductEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /**
       * A preset of plinth.config.ts: the modules that are on and the plans sold. A former
       * preset name (e.g. `voice-training`) is read as the preset it became.
       */
      PLINTH_PRODUCT: z.enum(PRESET_NAMES).default("all").transform(resolvePresetKey),
    },
    ...envOptions("product", source),
  });
}

export type ProductEnv = ReturnType<typeof parseProductEnv>;

/** The process environment's product choice (parsed once). */
export const productEnv = once(() => parseProductEnv());
