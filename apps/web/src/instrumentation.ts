// Runs once when a Next.js server starts (`next start`, `next dev`; not `next build`, which
// needs no secrets). Next inlines NEXT_RUNTIME per bundle, so only the Node.js server loads
// instrumentation-node.ts (the pattern Next documents for Node-only instrumentation).
export async function register() {
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNodeServer } = await import("./instrumentation-node.ts");
    startNodeServer();
  }
}
