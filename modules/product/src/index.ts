// @plinth/product: the composition root. It turns the active preset (PLINTH_PRODUCT, default
// `all`) into the ProductRuntime every request carries, and exposes one entry per transport,
// each built from the same module list: ./trpc (the app router), ./worker (job handlers, cron,
// run kinds), ./http (the gateway's routes, issue 12). Apps import these; nothing below
// (packages, other modules) imports this package.
import { createProductRuntime, type ProductRuntime } from "@plinth/platform";
import { productEnv } from "./env.ts";
import { presets, type PresetKey } from "./presets.ts";

export { MODULES, type ModuleKey } from "./modules.ts";
export { PRESET_KEYS, presets, type PresetKey } from "./presets.ts";
export { parseProductEnv, productEnv } from "./env.ts";
export { createProductRuntime } from "@plinth/platform";

const runtimes = new Map<PresetKey, ProductRuntime>();

/** The runtime of a preset, checked on first use (throws naming what is wrong). */
export function productRuntime(key: PresetKey): ProductRuntime {
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = createProductRuntime(presets[key]);
    runtimes.set(key, runtime);
  }
  return runtime;
}

/** This process's product: the preset PLINTH_PRODUCT names. */
export function activeProduct(): ProductRuntime {
  return productRuntime(productEnv().PLINTH_PRODUCT);
}

/** The active preset's demo organizations (the seed and `npm run dev`'s sign-in list). */
export function activePreset() {
  return presets[productEnv().PLINTH_PRODUCT];
}
