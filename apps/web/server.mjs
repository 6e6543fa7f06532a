// The entry of `pnpm dev` / `pnpm start`: plain JavaScript, so Node runs it without a loader.
// It loads server.ts (and the workspace's TypeScript sources it imports) through tsx's loader,
// then removes the loader again: Next serves requests from its compiled output, and a loader
// left in place would sit in every module lookup Next makes per request (measured: ~1.5× the
// CPU of a trivial request).
import { register } from "tsx/esm/api";

const unregister = register();
await import("./server.ts");
await unregister();
