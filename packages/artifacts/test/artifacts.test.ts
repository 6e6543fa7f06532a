// Artifact stores: the local folder with HMAC-signed expiring links, and S3 through the
// official SDK against s3rver (a local S3-compatible server) with presigned links.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArtifactAccessError,
  createLocalArtifactStore,
  createS3ArtifactStore,
  signLink,
  tenantArtifacts,
  verifyLinkSignature,
} from "../src/index.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
const SIGNING_SECRET = "a-test-signing-secret-of-32-characters!";

describe("local artifact store", () => {
  let dir: string;
  let clock = 1_000_000;
  const store = () =>
    createLocalArtifactStore({
      rootDir: dir,
      publicBaseUrl: "http://app.test/api/artifacts",
      signingSecret: SIGNING_SECRET,
      now: () => clock,
    });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "plinth-artifacts-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("stores, reads and deletes, with the content type", async () => {
    const local = store();
    await local.put("runs/r1/t1/failure-1.png", PNG, "image/png");
    expect(await local.get("runs/r1/t1/failure-1.png")).toEqual({
      bytes: PNG,
      contentType: "image/png",
    });
    expect((await readdir(path.join(dir, "runs/r1/t1"))).sort()).toEqual([
      "failure-1.png",
      "failure-1.png.meta.json",
    ]);
    await local.delete("runs/r1/t1/failure-1.png");
    expect(await local.get("runs/r1/t1/failure-1.png")).toBeNull();
  });

  it("refuses keys that leave the folder", async () => {
    const local = store();
    for (const key of ["../escape.png", "/etc/passwd", "a//b", "a/../b", ".hidden"]) {
      await expect(local.put(key, PNG, "image/png")).rejects.toThrow(/artifact key/);
    }
  });

  it("signs links that verify until they expire and not after any change", async () => {
    const local = store();
    const link = await local.signedUrl("runs/r1/shot.png", 60);
    expect(link).toMatch(
      /^http:\/\/app\.test\/api\/artifacts\/runs\/r1\/shot\.png\?expires=1000060&signature=/,
    );
    expect(local.verifyLink(link)).toBe("runs/r1/shot.png");

    const url = new URL(link);
    const otherKey = new URL(link.replace("shot.png", "other.png"));
    const longer = new URL(link);
    longer.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    const forged = new URL(link);
    forged.searchParams.set("signature", "A".repeat(43));
    expect(local.verifyLink(otherKey)).toBeNull();
    expect(local.verifyLink(longer)).toBeNull();
    expect(local.verifyLink(forged)).toBeNull();
    const otherSecret = createLocalArtifactStore({
      rootDir: dir,
      publicBaseUrl: "http://app.test/api/artifacts",
      signingSecret: `${SIGNING_SECRET}-rotated`,
      now: () => clock,
    });
    expect(otherSecret.verifyLink(link)).toBeNull();

    clock += 61;
    expect(local.verifyLink(link)).toBeNull();
  });

  it("needs a signing secret of at least 32 characters", () => {
    expect(() =>
      createLocalArtifactStore({
        rootDir: dir,
        publicBaseUrl: "http://app.test/a",
        signingSecret: "short",
      }),
    ).toThrow();
  });
});

describe("signed link helper (local links and data export links)", () => {
  it("verifies its own signature only: other parts, secret, order or an edit fail", () => {
    const parts = ["plinth.purpose.v1", "export-1", "user-1", 1_700_000_000] as const;
    const signature = signLink(SIGNING_SECRET, parts);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyLinkSignature(SIGNING_SECRET, parts, signature)).toBe(true);
    expect(
      verifyLinkSignature(SIGNING_SECRET, [...parts.slice(0, 3), 1_700_000_001], signature),
    ).toBe(false);
    expect(
      verifyLinkSignature(
        SIGNING_SECRET,
        ["plinth.purpose.v1", "user-1", "export-1", 1_700_000_000],
        signature,
      ),
    ).toBe(false);
    expect(verifyLinkSignature(`${SIGNING_SECRET}x`, parts, signature)).toBe(false);
    const edited = `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    expect(verifyLinkSignature(SIGNING_SECRET, parts, edited)).toBe(false);
    expect(verifyLinkSignature(SIGNING_SECRET, parts, "")).toBe(false);
  });

  it("refuses parts with a newline (which could shift one part into the next)", () => {
    expect(() => signLink(SIGNING_SECRET, ["a\nb", "c"])).toThrow(TypeError);
    const signature = signLink(SIGNING_SECRET, ["a", "b", "c"]);
    expect(verifyLinkSignature(SIGNING_SECRET, ["a\nb", "c"], signature)).toBe(false);
  });
});

describe("S3 artifact store (s3rver)", () => {
  let dir: string;
  let server: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "plinth-s3rver-"));
    server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: "artifacts" }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const store = (now?: () => Date) =>
    createS3ArtifactStore(
      {
        bucket: "artifacts",
        endpoint,
        forcePathStyle: true,
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
        keyPrefix: "plinth/",
      },
      now ? { now } : {},
    );

  it("puts, gets and deletes through the official SDK", async () => {
    const s3 = store();
    await s3.put("runs/r2/failure.png", PNG, "image/png");
    expect(await s3.get("runs/r2/failure.png")).toEqual({ bytes: PNG, contentType: "image/png" });
    await s3.delete("runs/r2/failure.png");
    expect(await s3.get("runs/r2/failure.png")).toBeNull();
    s3.client.destroy();
  });

  it("hands out presigned links that serve the object and stop working when they expire", async () => {
    const s3 = store();
    await s3.put("runs/r3/shot.png", PNG, "image/png");
    // X-Amz-Date has whole seconds, so a link lives until its signing second + lifetime: a
    // 1 s link signed late in a second has only milliseconds, too few on a loaded machine.
    const link = await s3.signedUrl("runs/r3/shot.png", 3);
    expect(link).toContain("/artifacts/plinth/runs/r3/shot.png?");
    expect(link).toContain("X-Amz-Expires=3");
    const ok = await request(link);
    expect(ok.statusCode).toBe(200);
    expect(new Uint8Array(await ok.body.arrayBuffer())).toEqual(PNG);

    // s3rver checks a V4 link's expiry but not its signature (unimplemented there), so a
    // forged signature is not tested here; that part is the SDK's signer and S3's.
    expect(new URL(link).searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);

    const signedAt = new URL(link).searchParams.get("X-Amz-Date") ?? "";
    const expiresAt =
      Date.parse(
        signedAt.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z"),
      ) + 3_000;
    expect(Number.isFinite(expiresAt)).toBe(true);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1_100),
    );
    const expired = await request(link);
    await expired.body.dump();
    expect(expired.statusCode).toBe(403);
    s3.client.destroy();
  });

  it("a link signed longer ago than its lifetime is 403; within it, the object (clock moved)", async () => {
    // The link's expiry counts from its signing time: moving the store's clock back by more
    // than the lifetime is the same link after that lifetime has passed on s3rver's clock.
    let clock = Date.now();
    const s3 = store(() => new Date(clock));
    await s3.put("org-a/run/test/failure.png", PNG, "image/png");

    clock = Date.now() - 30_000; // signed 30 s ago, valid for 60 s: 30 s left
    const live = await request(await s3.signedUrl("org-a/run/test/failure.png", 60));
    expect(live.statusCode).toBe(200);
    expect(new Uint8Array(await live.body.arrayBuffer())).toEqual(PNG);

    clock = Date.now() - 61_000; // signed 61 s ago, valid for 60 s: expired 1 s ago
    const expired = await request(await s3.signedUrl("org-a/run/test/failure.png", 60));
    expect(expired.statusCode).toBe(403);
    const body = await expired.body.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain("Request has expired");
    s3.client.destroy();
  });

  it("a missing object: get answers null and its signed link is 404", async () => {
    const s3 = store();
    expect(await s3.get("org-a/run/none/missing.png")).toBeNull();
    const missing = await request(await s3.signedUrl("org-a/run/none/missing.png", 60));
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.text()).toContain("<Code>NoSuchKey</Code>");
    s3.client.destroy();
  });

  it("an organization's view refuses another organization's key (no link, no read, no write)", async () => {
    const s3 = store();
    const orgA = tenantArtifacts(s3, "org-a");
    const orgB = tenantArtifacts(s3, "org-b");
    const key = "org-a/run-1/test-1/1-0-failure.png";
    await orgA.put(key, PNG, "image/png");
    // Its own key: a working link, under the store's prefix.
    const link = await orgA.signedUrl(key, 60);
    expect(new URL(link).pathname).toBe(`/artifacts/plinth/${key}`);
    const ok = await request(link);
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
    expect(await orgA.get(key)).toEqual({ bytes: PNG, contentType: "image/png" });

    // Organization B holding A's key gets nothing: refused before S3 is asked.
    await expect(orgB.signedUrl(key, 60)).rejects.toBeInstanceOf(ArtifactAccessError);
    await expect(orgB.get(key)).rejects.toBeInstanceOf(ArtifactAccessError);
    await expect(orgB.put(key, PNG, "image/png")).rejects.toBeInstanceOf(ArtifactAccessError);
    await expect(orgB.delete(key)).rejects.toBeInstanceOf(ArtifactAccessError);
    // Nor by prefix games: another organization whose id starts the same, or a path escape.
    const orgAB = tenantArtifacts(s3, "org-ab");
    await expect(orgAB.get(key)).rejects.toBeInstanceOf(ArtifactAccessError);
    await expect(orgB.get("org-b/../org-a/run-1/test-1/1-0-failure.png")).rejects.toThrow(
      /artifact key/,
    );
    expect(() => tenantArtifacts(s3, "org-a/")).toThrow();
    // A's object is untouched.
    expect(await s3.get(key)).toEqual({ bytes: PNG, contentType: "image/png" });
    s3.client.destroy();
  });
});
