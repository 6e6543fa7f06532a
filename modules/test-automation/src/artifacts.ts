// The artifact store runs write screenshots to and pages link to: S3 when S3_BUCKET and its
// keys are set, else the local folder (git-ignored) with HMAC-signed, expiring links.
import path from "node:path";
import { existsSync } from "node:fs";
import {
  createLocalArtifactStore,
  createS3ArtifactStore,
  DEFAULT_LOCAL_ARTIFACT_DIR,
  type ArtifactStore,
} from "@plinth/artifacts";
import { testAutomationEnv, type TestAutomationEnv } from "./env.ts";

/** Links to artifacts last this long. */
export const ARTIFACT_LINK_SECONDS = 15 * 60;

/** The checkout's root (where pnpm-workspace.yaml is), so web and worker share one folder. */
function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const DEV_SIGNING_SECRET = "plinth-dev-artifact-links-not-for-production";

export type TestArtifactStore = ArtifactStore & {
  verifyLink?: (url: string | URL) => string | null;
};

export function createArtifactStore(
  env: TestAutomationEnv = testAutomationEnv(),
): TestArtifactStore {
  if (env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY) {
    return createS3ArtifactStore({
      bucket: env.S3_BUCKET,
      region: env.S3_REGION,
      ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      keyPrefix: "test-artifacts/",
    });
  }
  return createLocalArtifactStore({
    rootDir: env.TEST_ARTIFACTS_DIR ?? path.join(repoRoot(), DEFAULT_LOCAL_ARTIFACT_DIR),
    publicBaseUrl: `${env.APP_URL.replace(/\/+$/, "")}/api/test-artifacts`,
    signingSecret: env.TEST_ARTIFACTS_SIGNING_SECRET ?? DEV_SIGNING_SECRET,
  });
}

let shared: TestArtifactStore | undefined;
/** This process's store (built on first use). */
export function artifactStore(): TestArtifactStore {
  shared ??= createArtifactStore();
  return shared;
}
