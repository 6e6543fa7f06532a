// The terms and the privacy notice carry the consent's version (TERMS_CONSENT_VERSION, what the
// terms step records), so changing their text must come with a new version: each version's
// texts are pinned by a digest below. A failure here means the text changed — bump
// TERMS_CONSENT_VERSION (packages/platform/src/contracts/consents.ts: everyone accepts again)
// and add the new version's digest; never edit a recorded one.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TERMS_CONSENT_VERSION } from "@plinth/product/contracts";
import { LEGAL_VERSION, PRIVACY_NOTICE, TERMS_OF_SERVICE } from "../src/app/(legal)/legal-texts.ts";
import { termsStepGuards } from "../src/server/terms-step.ts";

/** Version → SHA-256 of both texts as published (append-only). */
const PUBLISHED: Record<string, string> = {
  "2026-12-03": "4a937a543f5c3773b5d5ff0a0174ba67e6ceba4e15346f0156b03b530469dea1",
};

const digest = () =>
  createHash("sha256")
    .update(JSON.stringify([TERMS_OF_SERVICE, PRIVACY_NOTICE]))
    .digest("hex");

describe("the legal texts", () => {
  it("are the consent's version, effective on its date", () => {
    expect(LEGAL_VERSION).toBe(TERMS_CONSENT_VERSION);
    for (const text of [TERMS_OF_SERVICE, PRIVACY_NOTICE]) {
      expect(text.version).toBe(TERMS_CONSENT_VERSION);
      expect(text.effective).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(text.effective))).toBe(false);
    }
  });

  it("have not changed under a published version", () => {
    expect(
      { version: TERMS_CONSENT_VERSION, digest: digest() },
      "the legal texts changed: bump TERMS_CONSENT_VERSION and record the new digest",
    ).toEqual({ version: TERMS_CONSENT_VERSION, digest: PUBLISHED[TERMS_CONSENT_VERSION] });
  });

  it("are open to anyone, before the terms are accepted", () => {
    for (const page of ["/terms", "/privacy"]) expect(termsStepGuards("GET", page)).toBe(false);
  });
});
