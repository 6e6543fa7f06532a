// The presets of plinth.config.ts (the repository root: one file names every product).
import presets, { presetAliases } from "../../../plinth.config.ts";

export { presets };
export type PresetKey = keyof typeof presets;
export const PRESET_KEYS = Object.keys(presets) as [PresetKey, ...PresetKey[]];

/** Former names of presets (see plinth.config.ts), accepted wherever a preset is named. */
export type PresetAlias = keyof typeof presetAliases;
const ALIAS_KEYS = Object.keys(presetAliases) as PresetAlias[];

/** Every name PLINTH_PRODUCT accepts: the preset keys and their former names. */
export const PRESET_NAMES = [...PRESET_KEYS, ...ALIAS_KEYS] as [
  PresetKey | PresetAlias,
  ...(PresetKey | PresetAlias)[],
];

function isAlias(name: string): name is PresetAlias {
  return Object.hasOwn(presetAliases, name);
}

/** The preset a name means (a former name resolves to its current key). */
export function resolvePresetKey(name: PresetKey | PresetAlias): PresetKey {
  return isAlias(name) ? presetAliases[name] : name;
}
