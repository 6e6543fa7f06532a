// The presets of plinth.config.ts (the repository root: one file names every product).
import presets from "../../../plinth.config.ts";

export { presets };
export type PresetKey = keyof typeof presets;
export const PRESET_KEYS = Object.keys(presets) as [PresetKey, ...PresetKey[]];
