/** Only same-site paths ("/o/acme/billing?checkout=success"), never "//evil" or "https://…". */
export function safeReturnPath(value: string | null | undefined, fallback = "/"): string {
  return typeof value === "string" &&
    value.startsWith("/") &&
    !value.startsWith("//") &&
    !value.startsWith("/\\")
    ? value
    : fallback;
}
