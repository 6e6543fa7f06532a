// Secret masking. Every text the engine hands back (exchanges, assertion values, errors, log
// lines, reports) goes through a Masker built from the environment's secret values.

export const MASK = "[secret]";

/** Headers whose values are credentials whatever they contain. */
const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

export interface Masker {
  text(value: string): string;
  /** A JSON value with every string (and key) masked. */
  json(value: unknown): unknown;
  headers(headers: Record<string, string | string[]>): Record<string, string>;
}

export function createMasker(secretValues: Iterable<string>): Masker {
  const needles = new Set<string>();
  for (const value of secretValues) {
    if (value.length === 0) continue;
    // The forms a secret takes on its way into a request: as is, URL-encoded, JSON-escaped.
    needles.add(value);
    needles.add(encodeURIComponent(value));
    needles.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const pattern =
    ordered.length === 0
      ? null
      : new RegExp(
          ordered.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
          "g",
        );

  const text = (value: string) => (pattern ? value.replace(pattern, MASK) : value);
  const json = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(json);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), json(v)]));
    }
    return value;
  };
  const headers = (input: Record<string, string | string[]>) => {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(input)) {
      const joined = Array.isArray(raw) ? raw.join(", ") : raw;
      out[name.toLowerCase()] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? MASK : text(joined);
    }
    return out;
  };
  return { text, json, headers };
}
