// Prices and costs of the API catalog are in micro-cents (1 ¢ = 1 000 000): "$0.002".
export function formatMicroCents(value: number): string {
  const dollars = value / 100_000_000;
  if (dollars === 0) return "$0";
  const digits =
    Math.abs(dollars) >= 1
      ? 2
      : Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(Math.abs(dollars))) + 1));
  return `$${dollars.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

/** "$0.002 / call + $0.00002 / token" */
export function formatPrice(endpoint: {
  pricePerCallMicroCents: number;
  pricePerUnitMicroCents: number;
  unitsRule: "PER_CALL" | "HEADER";
}): string {
  const parts = [
    endpoint.pricePerCallMicroCents > 0
      ? `${formatMicroCents(endpoint.pricePerCallMicroCents)} / call`
      : null,
    endpoint.pricePerUnitMicroCents > 0
      ? `${formatMicroCents(endpoint.pricePerUnitMicroCents)} / ${endpoint.unitsRule === "HEADER" ? "unit" : "call"}`
      : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" + ") : "Free";
}
