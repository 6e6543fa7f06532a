// Consent kinds, the current version of each text, and the procedure inputs (client-safe: the
// web app's consent steps import the versions from here). A new text: bump its version here,
// and every user must agree again before what it guards (docs/identity.md, "Consents").
import * as z from "zod/mini";
import { text } from "@plinth/core/inputs";

export const CONSENT_KINDS = ["TERMS", "RECORDING", "MARKETING"] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * The terms of service and the privacy notice (apps/web/src/app/(legal)/legal-texts.ts, the
 * public /terms and /privacy pages; sign-up and the terms step ask for them). Their text is
 * pinned per version by apps/web/test/legal-texts.test.ts: new text, new version.
 */
export const TERMS_CONSENT_VERSION = "2026-12-03";
/** "My practice sessions are recorded, transcribed and analysed" — before the first session. */
export const RECORDING_CONSENT_VERSION = "2026-12-02";
/** Product news by email (optional, off unless granted). */
export const MARKETING_CONSENT_VERSION = "2026-12-02";

export const CONSENT_VERSIONS: Readonly<Record<ConsentKind, string>> = {
  TERMS: TERMS_CONSENT_VERSION,
  RECORDING: RECORDING_CONSENT_VERSION,
  MARKETING: MARKETING_CONSENT_VERSION,
};

export const consentKind = z.enum(CONSENT_KINDS);

export const recordConsentInput = z.object({
  kind: consentKind,
  /** The version of the text the user was shown (only the current one is accepted). */
  version: text(32, z.minLength(1)),
  granted: z.boolean(),
});
