// CSV for downloads (RFC 4180): a cell is quoted when it holds a comma, a quote, a line break or
// edge whitespace, quotes doubled; records end with CRLF. Text that a spreadsheet would run as a
// formula (a leading = + - @ tab or CR) is prefixed with an apostrophe (OWASP "CSV injection").
// Numbers are written as they are: -5 is a value, not a formula. No imports: client-safe.

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** The text of one value: dates as ISO 8601, nested values as JSON, null/undefined empty. */
function cellText(value: unknown): { text: string; fromText: boolean } {
  if (value === null || value === undefined) return { text: "", fromText: false };
  if (typeof value === "string") return { text: value, fromText: true };
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return { text: value.toString(), fromText: false };
  }
  if (value instanceof Date) return { text: value.toISOString(), fromText: false };
  return { text: JSON.stringify(value) ?? "", fromText: true };
}

/** One CSV cell: the value's text, formula-neutralised if it is text, quoted when needed. */
export function csvCell(value: unknown): string {
  const { text, fromText } = cellText(value);
  const safe = fromText && FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV file: the header row, then one record per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
