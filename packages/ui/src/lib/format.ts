// Number formatting shared by tables, stat cards and chart axes/tooltips (en-US, UTC dates).

export type ValueFormat = "money" | "count" | "duration" | "seconds";

/** Cents → "$1,234.50" (whole dollars when `compact`: "$1.2K"). */
export function formatMoney(cents: number, currency = "usd", compact = false): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
  }).format(cents / 100);
}

/** 12840 → "12,840" ("12.8K" when `compact`). */
export function formatCount(value: number, compact = false): string {
  return new Intl.NumberFormat("en-US", {
    ...(compact ? { notation: "compact", maximumFractionDigits: 1 } : {}),
  }).format(value);
}

/** Minutes → "45 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(minutes: number): string {
  const total = Math.round(minutes);
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  if (hours < 48) {
    const rest = total % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

/** Seconds → "42 s", "3 min 5 s"; an hour or more as formatDuration does ("1 h 5 min"). */
export function formatSeconds(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3_600) {
    const rest = total % 60;
    return rest ? `${Math.floor(total / 60)} min ${rest} s` : `${total / 60} min`;
  }
  return formatDuration(total / 60);
}

export function formatValue(value: number, format: ValueFormat, compact = false): string {
  switch (format) {
    case "money":
      return formatMoney(value, "usd", compact);
    case "duration":
      return formatDuration(value);
    case "seconds":
      return formatSeconds(value);
    case "count":
      return formatCount(value, compact);
  }
}

/** "2026-11-02" (UTC). */
export function formatDay(date: Date | string | null | undefined): string {
  if (!date) return "—";
  return (typeof date === "string" ? new Date(date) : date).toISOString().slice(0, 10);
}

/** "2026-11-02 14:05 UTC". */
export function formatDateTime(date: Date | string): string {
  return `${(typeof date === "string" ? new Date(date) : date).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** "Nov 2" for a "2026-11-02" day key, "Nov 2026" for a "2026-11" month key (axis labels). */
export function formatPeriodLabel(key: string): string {
  const [year, month, day] = key.split("-").map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  return new Intl.DateTimeFormat("en-US", {
    month: "short",
    ...(day ? { day: "numeric" } : { year: "numeric" }),
    timeZone: "UTC",
  }).format(date);
}
