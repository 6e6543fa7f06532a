// Screenshots of test runs from the local artifact folder (the default store; with S3_*
// set, links are presigned S3 URLs and never reach here). A link is valid only with its
// HMAC signature and before its expiry (test-engine's verifyLink, constant-time).
import { artifactStore } from "@plinth/test-automation/artifacts";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const store = artifactStore();
  const key = store.verifyLink?.(request.url) ?? null;
  if (!key) return new Response("Link expired or not valid", { status: 403 });
  const artifact = await store.get(key);
  if (!artifact) return new Response("Not found", { status: 404 });
  return new Response(Buffer.from(artifact.bytes), {
    headers: {
      "content-type": artifact.contentType,
      "cache-control": "private, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
