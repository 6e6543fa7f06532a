// PLINTH_PRODUCT: a preset key, or a former preset name read as the preset it became.
import { describe, expect, it } from "vitest";
import { parseProductEnv } from "../src/env.ts";
import { PRESET_KEYS, presets } from "../src/presets.ts";

describe("PLINTH_PRODUCT", () => {
  it("defaults to the demo with every module", () => {
    expect(parseProductEnv({}).PLINTH_PRODUCT).toBe("all");
  });

  it("names the sales-training product by the design's name, and its former name still works", () => {
    expect(parseProductEnv({ PLINTH_PRODUCT: "sales-training" }).PLINTH_PRODUCT).toBe(
      "sales-training",
    );
    expect(parseProductEnv({ PLINTH_PRODUCT: "voice-training" }).PLINTH_PRODUCT).toBe(
      "sales-training",
    );
    expect(presets["sales-training"].modules.map((module) => module.key)).toContain(
      "voice-training",
    );
  });

  it("refuses a name that is no preset", () => {
    expect(() => parseProductEnv({ PLINTH_PRODUCT: "hosting-ish" })).toThrow();
  });

  it("keys every preset by its own key", () => {
    for (const key of PRESET_KEYS) expect(presets[key].key).toBe(key);
  });
});
