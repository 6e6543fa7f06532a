// Runs once when a Next.js server starts: the whole configuration is validated now, so a bad
// key stops `next start` / `next dev` with a message naming it instead of failing the first
// request that reads it. (`next build` does not call this: the build needs no secrets.)
export async function register() {
  // Next inlines NEXT_RUNTIME per bundle: the Node.js server only.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./env.ts");
  env();
}
