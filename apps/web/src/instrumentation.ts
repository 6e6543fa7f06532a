// Runs once when the server starts, before it handles requests (Next.js instrumentation hook).
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next itself, not configuration
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installRequestGuard } = await import("./server/request-guard.ts");
    installRequestGuard();
  }
}
