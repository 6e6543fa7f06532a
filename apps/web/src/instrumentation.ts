// Runs once when a Next.js server starts (`next start`, `next dev`; not `next build`, which
// needs no secrets): the whole configuration is validated now, and a bad or missing key stops
// the server with a message naming it instead of failing every request that reads it. Then the
// request guard (405 for TRACE and unknown methods, 400 for undecodable paths) is installed.
export async function register() {
  // Next inlines NEXT_RUNTIME per bundle: only the Node.js server validates.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./env.ts");
  try {
    env();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { installRequestGuard } = await import("./server/request-guard.ts");
  installRequestGuard();
}
