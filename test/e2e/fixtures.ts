// Fixture users the browser tests create directly in the database: they start with the TERMS
// consent sign-up records, so they pass the terms step (apps/web/src/server/terms-step.ts) as a
// signed-up user does. Spread into `user.create({ data })`.
import { TERMS_CONSENT_VERSION } from "@plinth/platform/contracts";

export const acceptedTerms = () =>
  ({
    consents: { create: { kind: "TERMS", version: TERMS_CONSENT_VERSION, granted: true } },
  }) as const;
