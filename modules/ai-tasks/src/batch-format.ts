// Batch files in: CSV (header row = variable names) or a JSON array of objects, parsed with
// papaparse (client-safe: the web app previews uploads with the same code). Results go out
// through @plinth/core/csv.
import Papa from "papaparse";

export type Row = Record<string, string | number | boolean>;

export type ParsedRows = { ok: true; rows: Row[] } | { ok: false; reason: string };

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export function parseBatchFile(format: "csv" | "json", content: string): ParsedRows {
  if (format === "csv") {
    const parsed = Papa.parse<Record<string, string>>(content.trim(), {
      header: true,
      skipEmptyLines: "greedy",
      transformHeader: (header) => header.trim(),
    });
    // One column has no delimiter to detect: that is not an error.
    const error = parsed.errors.find((issue) => issue.code !== "UndetectableDelimiter");
    if (error) return { ok: false, reason: `Row ${(error.row ?? 0) + 1}: ${error.message}` };
    return { ok: true, rows: parsed.data };
  }
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return { ok: false, reason: "Not valid JSON" };
  }
  if (!Array.isArray(value)) return { ok: false, reason: "Expected a JSON array of objects" };
  const rows: Row[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return { ok: false, reason: `Item ${index + 1} is not an object` };
    const row: Row = {};
    for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
      if (!isScalar(field))
        return {
          ok: false,
          reason: `Item ${index + 1}: ${key} is not text, a number or a boolean`,
        };
      row[key] = field;
    }
    rows.push(row);
  }
  return { ok: true, rows };
}
