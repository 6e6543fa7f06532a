// Artifacts in a local folder (git-ignored `.plinth/artifacts` by default) with links signed by
// HMAC-SHA256 over the key and expiry (signed-link.ts), verified in constant time by whoever
// serves them.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { signLink, verifyLinkSignature } from "./signed-link.ts";
import {
  artifactKeySchema,
  contentTypeSchema,
  linkLifetimeSchema,
  type ArtifactStore,
} from "./store.ts";

/** Relative to the repository (or the process's working directory). */
export const DEFAULT_LOCAL_ARTIFACT_DIR = ".plinth/artifacts";

const localOptionsSchema = z.strictObject({
  rootDir: z.string().min(1),
  /** Where the app serves artifacts, e.g. `https://app.example.com/api/artifacts`. */
  publicBaseUrl: z.url({ protocol: /^https?$/ }),
  /** HMAC key for links; at least 32 characters. */
  signingSecret: z.string().min(32),
});
export type LocalArtifactStoreOptions = z.input<typeof localOptionsSchema> & {
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
};

const metaSchema = z.object({ contentType: contentTypeSchema });

export function createLocalArtifactStore(options: LocalArtifactStoreOptions): ArtifactStore & {
  /** The key a link grants, or null if it is forged, altered or expired. */
  verifyLink(url: string | URL): string | null;
} {
  const { rootDir, publicBaseUrl, signingSecret } = localOptionsSchema.parse({
    rootDir: options.rootDir,
    publicBaseUrl: options.publicBaseUrl,
    signingSecret: options.signingSecret,
  });
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const root = path.resolve(rootDir);
  const base = publicBaseUrl.replace(/\/+$/, "");
  const fileOf = (key: string) => path.join(root, artifactKeySchema.parse(key));

  return {
    kind: "local",
    async put(key, bytes, contentType) {
      const file = fileOf(key);
      contentTypeSchema.parse(contentType);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const temporary = `${file}.${process.pid}.${Date.now()}.partial`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
      await writeFile(`${file}.meta.json`, JSON.stringify({ contentType }));
    },
    async get(key) {
      const file = fileOf(key);
      try {
        const [bytes, meta] = await Promise.all([
          readFile(file),
          readFile(`${file}.meta.json`, "utf8"),
        ]);
        return {
          bytes: new Uint8Array(bytes),
          contentType: metaSchema.parse(JSON.parse(meta)).contentType,
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async delete(key) {
      const file = fileOf(key);
      await rm(file, { force: true });
      await rm(`${file}.meta.json`, { force: true });
    },
    signedUrl(key, expiresInSeconds) {
      // A bad key or lifetime rejects (as the S3 store's does), never throws synchronously.
      return Promise.resolve().then(() => {
        const checkedKey = artifactKeySchema.parse(key);
        const expires = now() + linkLifetimeSchema.parse(expiresInSeconds);
        const encodedKey = checkedKey.split("/").map(encodeURIComponent).join("/");
        return `${base}/${encodedKey}?expires=${expires}&signature=${signLink(signingSecret, [checkedKey, expires])}`;
      });
    },
    verifyLink(input) {
      const url = new URL(input);
      const prefix = new URL(`${base}/`);
      if (url.origin !== prefix.origin || !url.pathname.startsWith(prefix.pathname)) return null;
      const key = artifactKeySchema.safeParse(
        url.pathname.slice(prefix.pathname.length).split("/").map(decodeURIComponent).join("/"),
      );
      const expires = Number(url.searchParams.get("expires"));
      const signature = url.searchParams.get("signature") ?? "";
      if (!key.success || !Number.isInteger(expires) || expires < now()) return null;
      return verifyLinkSignature(signingSecret, [key.data, expires], signature) ? key.data : null;
    },
  };
}
