/** Only same-site paths: "/o/acme/projects", never "//evil.example" or "https://…". */
export function safeCallbackUrl(value: FormDataEntryValue | string | null | undefined): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")
    ? value
    : "/";
}
